// `query` executable: its stage's command, nothing else linked.
import StickCLI
import StickQuery

await StickMain.main(QueryCommand.self)
