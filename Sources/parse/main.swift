// `parse` executable: thin glue over StickCommands.
import StickCommands

await StickMain.main(ParseCommand.self)
