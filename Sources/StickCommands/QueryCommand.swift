// query — run sessions against a model and record every LLM call.
//
// Usage:
//   query SESSIONS --model CONFIG -o responses.jsonl.zst [--concurrency N] [--fallback seeded|reference]
//         [--seed S] [--no-requests] [--quiet] [--force] [--dry-run [--price-in USD --price-out USD]]
//
// Calls are journalled to OUTPUT.partial as they finish; rerunning the same command after a crash or
// a kill resumes where it stopped and retries failed calls. OUTPUT appears, in (session, step) order,
// once every call has succeeded; rerunning a finished command does nothing. The API key is read from the environment variable the config names.
import ArgumentParser
import Foundation
import StickArtifacts
import StickBackends
import StickQuery

public struct QueryCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run sessions against an LLM (conversations, questionnaire items) with retries and resume.",
        discussion: """
            Examples:
              query sessions.jsonl.zst --model pipelines/models/dummy.yaml -o responses.jsonl.zst
              gen-prompts --dataset demo | query - --model pipelines/models/dummy.yaml -o - | head -2
              OPENAI_API_KEY=… query sessions.jsonl.zst --model pipelines/models/local-vllm.yaml -o r.jsonl.zst
              query sessions.jsonl.zst --model pipelines/models/local-vllm.yaml --dry-run --price-in 0.5 --price-out 1.5

            --fallback: when an SVS answer has no "(L)", the letter entering the history is drawn per (session,
            step) from --seed (`seeded`, default) or from Python's random.Random(seed) per context in request
            order (`reference`, as the reference fixtures were made; sessions run concurrently, a session's
            draws wait for the earlier sessions of its context).
            """)

    @Argument(help: "Sessions artifact (from gen-prompts), or - for stdin.")
    var sessions: String

    @Option(name: .long, help: "Model config (YAML/JSON), see pipelines/models/.")
    var model: String

    @Option(name: [.short, .customLong("output")], help: "Responses artifact to write (- for stdout).")
    var output: String = "-"

    @Option(name: .long, help: "Requests in flight at once (overrides the config).")
    var concurrency: Int?

    @Option(name: .long, help: "Fallback letters: seeded or reference.")
    var fallback: String = "seeded"

    @Option(name: .long, help: "Seed of the fallback draws.")
    var seed: Int = 0

    @Flag(name: .long, help: "Store only the sha256 of each request, not the request itself.")
    var noRequests = false

    @Flag(name: .long, help: "Count calls and estimate tokens per context; send nothing.")
    var dryRun = false

    @Option(name: .long, help: "With --dry-run: price per million prompt tokens.")
    var priceIn: Double?

    @Option(name: .long, help: "With --dry-run: price per million completion tokens.")
    var priceOut: Double?

    @Flag(name: .shortAndLong, help: "No progress output.")
    var quiet = false

    @Flag(name: .long, help: "Start over: discard an existing output and its journal.")
    var force = false

    @OptionGroup var inputLimits: InputLimitOptions

    public init() {}

    public func validate() throws {
        guard ["seeded", "reference"].contains(fallback) else { throw ValidationError("--fallback must be seeded or reference") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if (priceIn != nil || priceOut != nil) && !dryRun { throw ValidationError("--price-in/--price-out go with --dry-run") }
    }

    public func run() async throws {
        inputLimits.apply()
        let (config, sha) = try ModelConfig.load(model)
        if dryRun {
            let lines = try await QueryRunner.dryRun(config: config, sessions: sessions)
            func row(_ name: String, _ values: [Int]) -> String {
                name.padding(toLength: max(14, name.count), withPad: " ", startingAt: 0)
                    + zip(values, [9, 9, 16, 20]).map { v, w in String(repeating: " ", count: max(0, w - String(v).count)) + String(v) }.joined()
            }
            Console.out("context        sessions    calls   prompt tokens   completion tokens (upper bound)")
            var total = DryRunTotals()
            for l in lines {
                Console.out(row(l.context, [l.sessions, l.calls, l.promptTokens, l.completionTokens]))
                total.add(l)
            }
            Console.out(row("total", [total.sessions, total.calls, total.prompt, total.completion]))
            if priceIn != nil || priceOut != nil {
                let cost = Double(total.prompt) / 1e6 * (priceIn ?? 0) + Double(total.completion) / 1e6 * (priceOut ?? 0)
                Console.out(String(format: "estimated cost: %.2f (at %.3f / %.3f per million tokens; no prefix caching)", cost, priceIn ?? 0, priceOut ?? 0))
            }
            return
        }
        let backend = try config.makeBackend(concurrencyOverride: concurrency)
        let options = QueryOptions(
            sessions: sessions, output: output, concurrency: concurrency,
            fallback: fallback == "reference" ? .reference(seed) : .seeded(seed), storeRequests: !noRequests,
            progress: quiet ? .quiet : (isatty(2) == 1 ? .bar : .lines), progressInterval: isatty(2) == 1 ? 0.5 : 10,
            force: force)
        let summary: QuerySummary
        do {
            summary = try await QueryRunner.run(config: config, configSHA256: sha, backend: backend, options: options)
        } catch {
            await backend.shutdown()
            throw error
        }
        await backend.shutdown()
        let line = "query: \(summary.succeeded)/\(summary.expectedCalls) calls done (\(summary.replayed) from an earlier run), "
            + "\(summary.failed) failed, \(summary.promptTokens) prompt + \(summary.completionTokens) completion tokens, "
            + String(format: "%.1f s", summary.seconds)
        if !quiet || !summary.complete { Console.note(line) }
        if !summary.complete {
            throw StickError("\(summary.expectedCalls - summary.succeeded) calls are missing or failed; "
                + "rerun the same command to retry them (progress is kept in \(output == "-" ? "a temporary journal" : output + ".partial"))")
        }
    }
}

struct DryRunTotals {
    var sessions = 0, calls = 0, prompt = 0, completion = 0
    mutating func add(_ l: DryRunLine) {
        sessions += l.sessions
        calls += l.calls
        prompt += l.promptTokens
        completion += l.completionTokens
    }
}
