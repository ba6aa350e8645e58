// `parse` executable: thin glue over StickCommands.
import StickCommands

StickMain.main(ParseCommand.self)
