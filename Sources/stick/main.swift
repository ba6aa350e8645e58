// `stick` executable: thin glue over StickCommands.
import StickCommands

await StickMain.main(StickCommand.self)
