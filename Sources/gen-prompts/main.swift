// `gen-prompts` executable: thin glue over StickCommands.
import StickCommands

await StickMain.main(GenPromptsCommand.self)
