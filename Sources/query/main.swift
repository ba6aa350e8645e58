// `query` executable: thin glue over StickCommands.
import StickCommands

await StickMain.main(QueryCommand.self)
