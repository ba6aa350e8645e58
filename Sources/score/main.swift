// `score` executable: thin glue over StickCommands.
import StickCommands

await StickMain.main(ScoreCommand.self)
