// `parse` executable: its stage's command, nothing else linked.
import StickCLI
import StickParse

await StickMain.main(ParseCommand.self)
