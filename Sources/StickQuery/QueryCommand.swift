// query — run sessions against a model and record every LLM call.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import Foundation
import StickArtifacts
import StickBackends

public struct QueryCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run sessions against an LLM (conversations, questionnaire items) with retries and resume.",
        usage: """
            query SESSIONS --model CONFIG -o responses.jsonl.zst [--endpoint URL…] [--concurrency N]
                  [--on-no-match seeded|reference] [--seed S] [--no-requests] [--quiet] [--force] [--dry-run [--price-in USD --price-out USD]]
            """,
        discussion: """
            Calls are journalled to OUTPUT.partial as they finish; rerunning the same command after a crash or \
            a kill resumes where it stopped and retries failed calls. OUTPUT appears, in (session, step) order, \
            once every call has succeeded; rerunning a finished command does nothing. The API key is read from the environment variable the config names.

            Examples:
              query sessions.jsonl.zst --model pipelines/models/dummy.yaml -o responses.jsonl.zst
              gen-prompts demo | query - --model pipelines/models/dummy.yaml -o - | head -2
              OPENAI_API_KEY=… query sessions.jsonl.zst --model pipelines/models/local-vllm.yaml -o r.jsonl.zst
              query sessions.jsonl.zst --model pipelines/models/local-vllm.yaml --dry-run --price-in 0.5 --price-out 1.5
              query sessions.jsonl.zst --model pipelines/models/leaderboard/Qwen3-8B.yaml --endpoint http://gpu7:8001/v1 -o r.jsonl.zst

            --endpoint (repeatable) replaces the config's `endpoints`, for a server started elsewhere than the \
            config says (`stick serve CONFIG --port N`, a pipeline's service); the responses header records it \
            (params.endpoint_override). The requests, and so the model config's hash and `stick audit`, stay the same.

            --on-no-match: when an SVS answer has no "(L)", the letter entering the history is drawn per (session, \
            step) from --seed (`seeded`, default) or from Python's random.Random(seed) per context in request \
            order (`reference`, as the reference fixtures were made; sessions run concurrently, a session's \
            draws wait for the earlier sessions of its context).
            """)

    @Argument(help: "Sessions artifact (from gen-prompts), or - for stdin.")
    var sessions: String

    @Option(name: .long, help: "Model config (YAML/JSON), see pipelines/models/.")
    var model: String

    @Option(name: [.short, .customLong("output")], help: "Responses artifact to write (- for stdout).")
    var output: String = "-"

    @Option(name: .long, help: ArgumentHelp("A base URL (http://HOST:PORT/v1) replacing the config's endpoints (repeatable).", valueName: "url"))
    var endpoint: [String] = []

    @Option(name: .long, help: "Requests in flight at once (overrides the config).")
    var concurrency: Int?

    @Option(name: .long, help: "The SVS letter entering the history when an answer has no \"(L)\": seeded or reference.")
    var onNoMatch: NoMatchChoice = .seeded

    @Option(name: .long, help: "Seed of the fallback draws.")
    var seed: UInt64 = 0

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
        guard onNoMatch != .missing else {
            throw ValidationError("--on-no-match missing: the conversation needs a letter for every SVS answer; use seeded or reference")
        }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if (priceIn != nil || priceOut != nil) && !dryRun { throw ValidationError("--price-in/--price-out go with --dry-run") }
        for url in endpoint {
            do { try ModelConfig.checkEndpoint(url) } catch let e as StickError { throw ValidationError(e.message) }
        }
    }

    public func run() async throws {
        inputLimits.apply()
        let (config, sha) = try ModelConfig.load(model, endpoints: endpoint.isEmpty ? nil : endpoint)
        if dryRun {
            let lines = try await QueryRunner.dryRun(config: config, sessions: sessions)
            var table = TextTable([.init("context"), .init("sessions", .right), .init("calls", .right),
                                   .init("prompt tokens", .right), .init("completion tokens (upper bound)", .right)])
            var total = DryRunTotals()
            for l in lines {
                table.append([l.context] + [l.sessions, l.calls, l.promptTokens, l.completionTokens].map(String.init))
                total.add(l)
            }
            table.append(["total"] + [total.sessions, total.calls, total.prompt, total.completion].map(String.init))
            Console.out(table.render())
            if priceIn != nil || priceOut != nil {
                let cost = Double(total.prompt) / 1e6 * (priceIn ?? 0) + Double(total.completion) / 1e6 * (priceOut ?? 0)
                Console.out(String(format: "estimated cost: %.2f (at %.3f / %.3f per million tokens; no prefix caching)", cost, priceIn ?? 0, priceOut ?? 0))
            }
            return
        }
        let backend = try config.makeBackend(concurrencyOverride: concurrency)
        let options = QueryOptions(
            sessions: sessions, output: output, concurrency: concurrency,
            fallback: onNoMatch == .reference ? .reference(seed) : .seeded(seed), storeRequests: !noRequests,
            progress: quiet ? .quiet : (isatty(2) == 1 ? .bar : .lines), progressInterval: isatty(2) == 1 ? 0.5 : 10,
            force: force, endpointOverride: endpoint.isEmpty ? nil : endpoint)
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
