// `score` executable: thin glue over StickCommands.
import StickCommands

StickMain.main(ScoreCommand.self)
