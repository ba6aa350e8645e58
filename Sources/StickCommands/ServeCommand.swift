// stick serve — starts the server a model config expects, from the config's `serve:` line (the zoo's
// `vllm serve …`). It replaces itself with `/bin/sh -c LINE` (exec, not a child) so that whoever started it
// — a pipeline stage's `service:`, a Slurm job's trap — signals the server itself.
import ArgumentParser
import Foundation
import StickArtifacts
import StickCLI

public struct ServeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start the server a model config expects (its `serve:` line), optionally on another port.",
        usage: "stick serve MODEL.yaml [--port N] [--dry-run]",
        discussion: """
            Runs the config's `serve` line with /bin/sh -c in place of this process (signals reach the server). \
            --port N appends ` --port N` to the line (vllm serve, llama-server and the fake OpenAI server all \
            take it; without it they listen on their default, vLLM's 8000, where the zoo configs' `endpoints` \
            point). A server on another port is queried with `query --endpoint http://HOST:N/v1`. The line \
            runs as written: environment variables it reads (the zoo's $TENSOR_PARALLEL_SIZE) come from the caller.

            Examples:
              TENSOR_PARALLEL_SIZE=2 stick serve pipelines/models/leaderboard/Qwen3-8B.yaml
              stick serve pipelines/models/leaderboard/Qwen3-8B.yaml --port 8001 --dry-run
            """)

    @Argument(help: "Model config (YAML/JSON) with a `serve:` line, see pipelines/models/leaderboard/.")
    var model: String

    @Option(name: .long, help: ArgumentHelp("The port to listen on (appended as --port N).", valueName: "port"))
    var port: Int?

    @Flag(name: .long, help: "Print the command instead of running it.")
    var dryRun = false

    public init() {}

    public func validate() throws {
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be 1–65535, not \(port)") }
    }

    public func run() throws {
        let (config, _) = try ModelConfig.load(model)
        guard let line = config.serve, !line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StickError("has no `serve:` line (the shell command that starts its server); start the server yourself "
                + "and point query at it with --endpoint", file: model)
        }
        let command = Self.command(serveLine: line, port: port)
        if dryRun {
            Console.out(command)
            return
        }
        Console.note("stick serve: exec /bin/sh -c \(command)")
        fflush(nil)  // every C stream: nothing buffered may be lost with this process image
        let argv = ["/bin/sh", "-c", command]
        var cArgs = argv.map { strdup($0) } + [nil]
        execv("/bin/sh", &cArgs)
        let reason = String(cString: strerror(errno))
        for a in cArgs { free(a) }
        throw StickError("cannot exec /bin/sh: \(reason)", file: model)
    }

    /// The shell line: the config's, with ` --port N` appended (a number: nothing to quote).
    static func command(serveLine: String, port: Int?) -> String {
        let line = serveLine.trimmingCharacters(in: .whitespacesAndNewlines)
        return port.map { line + " --port \($0)" } ?? line
    }
}
