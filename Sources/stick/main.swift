// `stick` executable: the umbrella command.
import StickCLI
import StickCommands

await StickMain.main(StickCommand.self)
