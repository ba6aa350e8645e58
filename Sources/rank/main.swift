// `rank` executable: thin glue over StickCommands.
import StickCommands

StickMain.main(RankCommand.self)
