// `query` executable: thin glue over StickCommands.
import StickCommands

StickMain.main(QueryCommand.self)
