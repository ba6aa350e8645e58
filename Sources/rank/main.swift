// `rank` executable: thin glue over StickCommands.
import StickCommands

await StickMain.main(RankCommand.self)
