// `score` executable: its stage's command, nothing else linked.
import StickCLI
import StickScore

await StickMain.main(ScoreCommand.self)
