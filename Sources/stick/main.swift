// `stick` executable: thin glue over StickCommands.
import StickCommands

StickMain.main(StickCommand.self)
