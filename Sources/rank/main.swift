// `rank` executable: its stage's command, nothing else linked.
import StickCLI
import StickRank

await StickMain.main(RankCommand.self)
