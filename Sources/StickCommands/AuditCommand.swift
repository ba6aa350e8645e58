// stick audit — verify a submitted run archive link by link: manifest, provenance, prompts, requests,
// and the recomputation of answers and metrics.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickArtifacts
import StickAudit
import StickCLI

public struct AuditCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify a run archive: manifest, provenance, prompts, requests, recomputed answers and metrics.",
        usage: """
            stick audit RUN.tar.zst [--dataset DIR] [--design FILE]
            stick audit RUN-DIRECTORY
            stick audit RUN-A.tar.zst RUN-B.tar.zst … --leaderboard leaderboard.json [--dataset DIR]
            """,
        discussion: """
            Checks, and prints as a table (artifact, check, result):
              manifest     every member's size and sha256 (the archive is extracted safely: links, paths
                           leaving the directory and unlisted members are refused);
              provenance   every input a header names (by sha256) is a member of the run of the right kind,
                           or the dataset/design given here; the tool versions are listed;
              prompts      the sessions equal `gen-prompts` rerun on that dataset and design, byte for byte;
              requests     every stored request hashes to its request_sha256 and equals the request the
                           session engine builds from the sessions and the recorded history (conversation
                           replies, SVS letters, fallback draws as the run made them: seeded or reference)
                           under the run's model config; a run queried with --no-requests is matched by
                           request_sha256 only, and the table says so;
              recompute    `parse` and `score` rerun with the recorded parameters give the stored answers,
                           metrics and value scores exactly;
              rank         with --leaderboard, for a set of runs: each metrics file the leaderboard records
                           (by sha256) is one run's and each run is in the leaderboard; `rank` rerun in the
                           recorded order with the recorded parameters (seed, sort, benchbench) gives the
                           leaderboard, every value bit for bit. The runs may be given in any order.
            A run holds one sessions, responses, answers and metrics artifact and the model config (see
            README.md "Auditing a run"). The dataset defaults to the embedded demo dataset when the sessions
            name it, the design to the design file in the run or the built-in the sessions name.

            Exit status: 0 when every check holds; 1 otherwise, naming the first differing record
            (file:line, field, stored vs recomputed).

            Examples:
              stick audit demo-run/dummy.tar.zst
              stick audit leaderboard-run/dummy.tar.zst --dataset leaderboard-run/dataset
              stick audit demo-run/*.tar.zst --leaderboard demo-run/leaderboard.json
            """)

    @Argument(help: "Run archives (from `stick pack`) or unpacked run directories with their MANIFEST.json.")
    var runs: [String]

    @Option(name: .long, help: "The leaderboard of these runs, to check by rerunning rank.")
    var leaderboard: String?

    @Option(name: .long, help: "The dataset the sessions were generated from (directory or `demo`).")
    var dataset: String?

    @Option(name: .long, help: "The design file or built-in design name (default: from the run).")
    var design: String?

    @OptionGroup var inputLimits: InputLimitOptions

    public init() {}

    public func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("give a run archive or directory") }
    }

    public func run() async throws {
        inputLimits.apply()
        let report = try await Audit.run(runs, leaderboard: leaderboard, dataset: dataset, design: design)
        Console.out(report.table)
        if let failure = report.firstFailure {
            throw ExitCodeError(StickError("audit failed: \(failure.artifact) \(failure.check): \(failure.detail)"), code: 1)
        }
        Console.note("audit: every check holds")
    }
}
