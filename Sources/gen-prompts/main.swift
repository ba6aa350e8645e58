// `gen-prompts` executable: thin glue over StickCommands.
import StickCommands

StickMain.main(GenPromptsCommand.self)
