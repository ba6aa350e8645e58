// `gen-prompts` executable: its stage's command, nothing else linked.
import StickCLI
import StickGenPrompts

await StickMain.main(GenPromptsCommand.self)
