// `stick audit` as a library call: a run archive (or unpacked run directory) checked link by link —
// the manifest, the provenance chain of the headers, the prompts (gen-prompts rerun), the requests
// (the session engine replayed from the recorded history), and the recomputation (parse and score
// rerun with the recorded parameters). An umbrella module: it calls the stages, no stage calls it.
import Foundation
import StickArtifacts
import StickDataset
import StickGenPrompts
import StickParse
import StickPsychometrics
import StickQuery
import StickScore

public struct AuditOptions: Sendable {
    /// A run archive written by `stick pack`, or a directory holding a MANIFEST.json.
    public var target: String
    /// The dataset the sessions were generated from (default: the embedded demo dataset when the
    /// sessions name it).
    public var dataset: String?
    /// The design (a file or a built-in name; default: the archive's design file, else the built-in the
    /// sessions name).
    public var design: String?

    public init(target: String, dataset: String? = nil, design: String? = nil) {
        self.target = target
        self.dataset = dataset
        self.design = design
    }
}

/// One line of the audit's table.
public struct AuditCheck: Sendable {
    public enum Result: String, Sendable { case ok, fail = "FAIL", info }
    public var artifact: String
    public var check: String
    public var result: Result
    public var detail: String
}

public struct AuditReport: Sendable {
    public var checks: [AuditCheck] = []
    public var passed: Bool { !checks.contains { $0.result == .fail } }
    public var firstFailure: AuditCheck? { checks.first { $0.result == .fail } }

    public var table: String {
        var table = TextTable([.init("artifact"), .init("check"), .init("result")])
        for c in checks {
            let result = c.result == .ok ? "ok" + (c.detail.isEmpty ? "" : ": " + c.detail)
                : c.result == .info ? c.detail : "FAIL: " + c.detail
            table.append([c.artifact, c.check, result])
        }
        return table.render()
    }

    mutating func add(_ artifact: String, _ check: String, _ result: AuditCheck.Result, _ detail: String = "") {
        checks.append(AuditCheck(artifact: artifact, check: check, result: result, detail: detail))
    }
}

/// A check that found a difference (or could not run): the audit records it and goes on where it can.
struct AuditFailure: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

public enum Audit {
    /// Runs every check; the report says which held. Throws only when the target cannot be opened.
    public static func run(_ options: AuditOptions) async throws -> AuditReport {
        var report = AuditReport()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.target, isDirectory: &isDirectory) else {
            throw StickError("no such archive or directory", file: options.target)
        }
        let scratch = try StagingDirectory(in: NSTemporaryDirectory(), purpose: "audit")
        defer { scratch.remove() }

        // 1. The manifest: safe extraction verifies every member's size and sha256 (links refused).
        let root: String
        let manifest: ArchiveManifest
        let label = isDirectory.boolValue ? options.target : options.target + "#"
        do {
            if isDirectory.boolValue {
                manifest = try Archives.verifyDirectory(options.target)
                root = options.target
            } else {
                root = scratch.file("run")
                try Archives.extract(options.target, into: root, requireManifest: true)
                manifest = try Archives.verifyDirectory(root)
            }
        } catch {
            report.add(ArchiveManifest.fileName, "members' size and sha256", .fail, "\(error)")
            return report
        }
        report.add(ArchiveManifest.fileName, "members' size and sha256", .ok, "\(manifest.members.count) members")

        func name(_ member: String) -> String {
            isDirectory.boolValue ? (options.target as NSString).appendingPathComponent(member) : label + member
        }
        let run = try RunMembers(manifest: manifest, root: root, name: name)
        var context = AuditContext(options: options, run: run, scratch: scratch)
        await context.audit(into: &report)
        return report
    }
}

/// The members of a run by kind and by sha256.
struct RunMembers {
    var manifest: ArchiveManifest
    var root: String
    var name: (String) -> String
    var bySHA: [String: ManifestMember] = [:]
    var byKind: [String: [ManifestMember]] = [:]

    init(manifest: ArchiveManifest, root: String, name: @escaping (String) -> String) throws {
        self.manifest = manifest
        self.root = root
        self.name = name
        for m in manifest.members {
            bySHA[m.sha256] = bySHA[m.sha256] ?? m
            if let kind = m.kind { byKind[kind, default: []].append(m) }
        }
    }

    func path(_ m: ManifestMember) -> String { (root as NSString).appendingPathComponent(m.path) }

    /// The one member of `kind`; an audit covers one run. A merged artifact may travel with the shards it was
    /// merged from (its header names them, role `merged`): the run's artifact is then the merge.
    func one(_ kind: ArtifactKind) throws -> ManifestMember {
        var found = byKind[kind.rawValue] ?? []
        if found.count > 1 {
            let shards = Set(found.flatMap { mergedInputs(of: $0, kind) })
            found.removeAll { shards.contains($0.sha256) }
        }
        guard found.count == 1 else {
            throw AuditFailure(found.isEmpty ? "the run has no '\(kind.rawValue)' artifact"
                : "the run has \(found.count) '\(kind.rawValue)' artifacts (\(found.map(\.path).joined(separator: ", "))); audit one run at a time")
        }
        return found[0]
    }

    /// The sha256 of the artifacts `member` was merged from (none for an artifact that is not a merge).
    private func mergedInputs(of member: ManifestMember, _ kind: ArtifactKind) -> [String] {
        guard kind != .metrics, let reader = try? JSONLReader<JSONValue>(path: path(member), kind: kind) else { return [] }
        defer { reader.close() }
        return reader.header.inputs.filter { $0.role == "merged" }.map(\.sha256)
    }
}

struct AuditContext {
    var options: AuditOptions
    var run: RunMembers
    var scratch: StagingDirectory

    mutating func audit(into report: inout AuditReport) async {
        func attempt(_ artifact: String, _ check: String, _ body: () throws -> String) {
            do { report.add(artifact, check, .ok, try body()) } catch { report.add(artifact, check, .fail, "\(error)") }
        }
        // The run's artifacts; without all four there is nothing to chain.
        var members: [ArtifactKind: ManifestMember] = [:]
        for kind in [ArtifactKind.sessions, .responses, .answers, .metrics] {
            attempt(kind.rawValue, "present", {
                let m = try run.one(kind)
                members[kind] = m
                return m.path
            })
        }
        guard let sessions = members[.sessions], let responses = members[.responses], let answers = members[.answers],
              let metrics = members[.metrics] else { return }

        // 2. The provenance chain.
        var headers: [ArtifactKind: ArtifactHeader] = [:]
        for (kind, m) in [(ArtifactKind.sessions, sessions), (.responses, responses), (.answers, answers)] {
            attempt(m.path, "header", {
                let reader = try JSONLReader<JSONValue>(path: run.path(m), kind: kind)
                headers[kind] = reader.header
                reader.close()
                return "\(kind.rawValue) v\(reader.header.version)"
            })
        }
        var metricsDocument: JSONValue?
        attempt(metrics.path, "header", {
            let data = try Inputs.readAll(run.path(metrics), limit: 256 << 20)
            let document = try OrderedJSON.parse(data)
            try ArtifactKind.metrics.require(document, file: run.name(metrics.path))
            metricsDocument = document
            return "metrics v\(document["version"]?.intValue ?? 0)"
        })
        guard let sessionsHeader = headers[.sessions], let responsesHeader = headers[.responses],
              let answersHeader = headers[.answers], let metricsDocument else { return }
        let metricsInputs: [InputProvenance] = (try? JSONDecoder().decode([InputProvenance].self,
            from: Data((metricsDocument["inputs"] ?? .array([])).serialized().utf8))) ?? []

        // The dataset and design the sessions name, resolved from the command line or the archive.
        var dataset: Dataset?
        var design: (design: Design, sha256: String, source: String)?
        attempt(sessions.path, "input dataset", {
            guard let claimed = sessionsHeader.inputs.first(where: { $0.role == "dataset" }) else {
                throw AuditFailure("the sessions header names no dataset")
            }
            let location = options.dataset ?? (claimed.name == "demo" ? "demo" : nil)
            guard let location else {
                throw AuditFailure("the sessions were made from dataset '\(claimed.name)' (sha256 \(claimed.sha256)); give it with --dataset")
            }
            let loaded = try Dataset.load(location)
            guard loaded.manifestSHA256 == claimed.sha256 else {
                throw AuditFailure("\(location) has sha256 \(loaded.manifestSHA256), the sessions name \(claimed.sha256)")
            }
            dataset = loaded
            return "\(location) \(claimed.sha256.prefix(12))"
        })
        attempt(sessions.path, "input design", {
            guard let claimed = sessionsHeader.inputs.first(where: { $0.role == "design" }) else {
                throw AuditFailure("the sessions header names no design")
            }
            let location: String
            var shown: String?
            if let given = options.design {
                location = given
            } else if let member = run.bySHA[claimed.sha256] {
                location = run.path(member)
                shown = member.path
            } else if claimed.name.hasPrefix("builtin:") {
                location = String(claimed.name.dropFirst("builtin:".count))
            } else {
                throw AuditFailure("the design '\(claimed.name)' (sha256 \(claimed.sha256)) is not in the run; give it with --design")
            }
            let loaded = try Design.load(location)
            guard loaded.sha256 == claimed.sha256 else {
                throw AuditFailure("\(location) has sha256 \(loaded.sha256), the sessions name \(claimed.sha256)")
            }
            // Same bytes (the sha256 says so): gen-prompts is rerun under the source name the sessions recorded.
            design = (loaded.design, loaded.sha256, claimed.name)
            return "\(shown ?? loaded.source) \(claimed.sha256.prefix(12))"
        })
        /// Each input an artifact names must be a member of the expected kind (any kind for "") with that sha256.
        func chain(_ m: ManifestMember, _ inputs: [InputProvenance], kinds: [String: String]) {
            attempt(m.path, "inputs", {
                guard !inputs.isEmpty else { throw AuditFailure("names no inputs") }
                var found: [String] = []
                for input in inputs {
                    guard let expected = kinds[input.role] else {
                        throw AuditFailure("names an input of unexpected role '\(input.role)' (\(input.name))")
                    }
                    guard let member = run.bySHA[input.sha256] else {
                        throw AuditFailure("names \(input.role) '\(input.name)' (sha256 \(input.sha256)), which is not in the run")
                    }
                    if !expected.isEmpty, member.kind != expected {
                        throw AuditFailure("names \(input.role) sha256 \(input.sha256), which is '\(member.path)', not a \(expected) artifact")
                    }
                    found.append("\(input.role) = \(member.path)")
                }
                return found.joined(separator: ", ")
            })
        }
        // A merge names its shards (present in the run) instead of the sessions they were queried from: the
        // requests' replay below ties its records to the run's sessions.
        chain(responses, responsesHeader.inputs, kinds: ["sessions": "sessions", "model_config": "", "merged": "responses"])
        chain(answers, answersHeader.inputs, kinds: ["sessions": "sessions", "responses": "responses", "merged": "answers"])
        chain(metrics, metricsInputs, kinds: ["answers": "answers"])
        for (m, tool) in [(sessions, sessionsHeader.tool), (responses, responsesHeader.tool), (answers, answersHeader.tool),
                          (metrics, metricsDocument["tool"]?.stringValue ?? "unknown")] {
            report.add(m.path, "tool", .info, tool)
        }

        // 3–5 read only the stored artifacts, each its own: they run at once (the request replay on every core).
        let reruns = RerunChecks(run: run, scratch: scratch, sessions: sessions, responses: responses, answers: answers,
                                 metrics: metrics, sessionsHeader: sessionsHeader, responsesHeader: responsesHeader,
                                 answersHeader: answersHeader, metricsDocument: metricsDocument, dataset: dataset, design: design)
        async let prompts = reruns.prompts()
        async let requests = reruns.requests()
        async let parse = reruns.parse()
        async let score = reruns.score()
        report.checks += await prompts + requests + [parse, score]
    }
}

/// The reruns (prompts, requests, parse, score): each reads the run's stored artifacts and its own scratch
/// file, nothing another writes, so they may run concurrently. Immutable once made.
final class RerunChecks: @unchecked Sendable {
    let run: RunMembers
    let scratch: StagingDirectory
    let sessions: ManifestMember, responses: ManifestMember, answers: ManifestMember, metrics: ManifestMember
    let sessionsHeader: ArtifactHeader, responsesHeader: ArtifactHeader, answersHeader: ArtifactHeader
    let metricsDocument: JSONValue
    let dataset: Dataset?
    let design: (design: Design, sha256: String, source: String)?

    init(run: RunMembers, scratch: StagingDirectory, sessions: ManifestMember, responses: ManifestMember, answers: ManifestMember,
         metrics: ManifestMember, sessionsHeader: ArtifactHeader, responsesHeader: ArtifactHeader, answersHeader: ArtifactHeader,
         metricsDocument: JSONValue, dataset: Dataset?, design: (design: Design, sha256: String, source: String)?) {
        self.run = run
        self.scratch = scratch
        self.sessions = sessions
        self.responses = responses
        self.answers = answers
        self.metrics = metrics
        self.sessionsHeader = sessionsHeader
        self.responsesHeader = responsesHeader
        self.answersHeader = answersHeader
        self.metricsDocument = metricsDocument
        self.dataset = dataset
        self.design = design
    }

    func attempt(_ artifact: String, _ check: String, _ body: () throws -> String) -> AuditCheck {
        do { return AuditCheck(artifact: artifact, check: check, result: .ok, detail: try body()) } catch {
            return AuditCheck(artifact: artifact, check: check, result: .fail, detail: "\(error)")
        }
    }

    func attemptAsync(_ artifact: String, _ check: String, _ body: () async throws -> String) async -> AuditCheck {
        do { return AuditCheck(artifact: artifact, check: check, result: .ok, detail: try await body()) } catch {
            return AuditCheck(artifact: artifact, check: check, result: .fail, detail: "\(error)")
        }
    }

    // 3. The prompts: gen-prompts rerun, byte for byte.
    func prompts() -> [AuditCheck] {
        guard let dataset, let design else { return [] }
        return [attempt(sessions.path, "= gen-prompts rerun", {
            var selection = SessionSelection()
            if case .array(let c)? = sessionsHeader.params["contexts"] { selection.contexts = c.compactMap(\.stringValue) }
            if case .array(let p)? = sessionsHeader.params["personas"] { selection.personas = Set(p.compactMap(\.intValue)) }
            if let s = sessionsHeader.params["shard"]?.stringValue { selection.shard = try SessionSelection.parseShard(s) }
            let output = scratch.file("sessions.jsonl")
            let result = try GenPrompts.run(dataset: dataset, design: design.design, designSHA256: design.sha256,
                                            designSource: design.source, selection: selection, output: output)
            try LineComparison.compare(stored: run.path(sessions), storedName: run.name(sessions.path), recomputed: output)
            return "\(result.sessions) sessions identical"
        })]
    }

    // 4. The requests: every stored request hashes to its request_sha256 and equals the request the
    // session engine builds from the sessions and the recorded history.
    func requests() async -> [AuditCheck] {
        var storedRequestsNote: String?
        let check = await attemptAsync(responses.path, "requests = session engine replay") {
            guard let configSHA = responsesHeader.params["model_config_sha256"]?.stringValue,
                  let configMember = run.bySHA[configSHA] else {
                throw AuditFailure("the model config the responses name is not in the run")
            }
            let (config, _) = try ModelConfig.load(run.path(configMember))
            guard let fallback = RequestVerifier.fallbackMode(responsesHeader.params["fallback"]?.stringValue) else {
                throw AuditFailure("the responses header has no readable 'fallback' param")
            }
            var storeRequests: Bool?
            if case .bool(let b)? = responsesHeader.params["store_requests"] { storeRequests = b }
            let summary = try await RequestChain.verify(sessions: run.path(sessions), responses: run.path(responses),
                                                        responsesName: run.name(responses.path), config: config, fallback: fallback,
                                                        storeRequests: storeRequests)
            let mode = responsesHeader.params["fallback"]?.stringValue ?? ""
            var detail = "\(summary.rebuilt) requests rebuilt, \(summary.sessions) sessions, fallback draws \(mode)"
            if summary.storedRequests == summary.rebuilt {
                detail += "; \(summary.storedRequests) stored requests hash to their sha256"
            } else {
                // Said in the table, not only here: what a run without stored requests leaves unchecked.
                storedRequestsNote = summary.storedRequests == 0
                    ? "none stored (query --no-requests): each rebuilt request was matched to its request_sha256 only; "
                        + "a request that differs would be named by hash, not by message"
                    : "\(summary.storedRequests) of \(summary.rebuilt) stored (the others matched by request_sha256 only)"
                detail += "; matched by request_sha256"
                    + (summary.storedRequests == 0 ? " (no request stored)" : " (\(summary.storedRequests) stored requests hash to it)")
            }
            return detail
        }
        var checks = [check]
        if let storedRequestsNote {
            checks.append(AuditCheck(artifact: responses.path, check: "stored requests", result: .info, detail: storedRequestsNote))
        }
        return checks
    }

    // 5. The recomputation: parse and score rerun with the recorded parameters.
    func parse() -> AuditCheck {
        attempt(answers.path, "= parse rerun", {
            let p = answersHeader.params
            guard let strategy = p["strategy"]?.stringValue.flatMap(ParseStrategy.init) else {
                throw AuditFailure("the answers header has no readable 'strategy' param")
            }
            let noMatch: NoMatchPolicy
            switch p["on_no_match"]?.stringValue {
            case "missing"?: noMatch = .missing
            case let s? where s.hasPrefix("seeded:"): noMatch = .seeded(UInt64(s.dropFirst(7)) ?? 0)
            case let s? where s.hasPrefix("reference:"): noMatch = .reference(UInt64(s.dropFirst(10)) ?? 0)
            default: throw AuditFailure("the answers header has no readable 'on_no_match' param")
            }
            var cot: Bool?
            if case .bool(let b)? = p["cot"] { cot = b }
            let reasoning = p["reasoning"]?.stringValue.flatMap(ModelConfig.Reasoning.init)
            let output = scratch.file("answers.jsonl")
            try Parser.run(sessions: run.path(sessions), responses: run.path(responses), output: output, csv: nil,
                           options: ParseOptions(strategy: strategy, noMatch: noMatch, cot: cot, reasoning: reasoning))
            let lines = try LineComparison.compare(stored: run.path(answers), storedName: run.name(answers.path), recomputed: output)
            return "\(lines - 1) answers identical"
        })
    }

    func score() -> AuditCheck {
        attempt(metrics.path, "= score rerun", {
            let input = try ScoreInputReader.readAnswers(run.path(answers))
            guard case .object(let o)? = metricsDocument["options"] else { throw AuditFailure("the metrics have no 'options'") }
            var options = ScoreOptions()
            if let v = o["stress_variant"]?.stringValue { options.stressVariant = try StressVariant(rawValue: v) ?? { throw AuditFailure("unknown stress_variant '\(v)'") }() }
            if case .bool(let b)? = o["cfa"] { options.cfa = b }
            if let v = o["cfa_rounding"]?.stringValue { options.cfaRounding = try CFARounding(rawValue: v) ?? { throw AuditFailure("unknown cfa_rounding '\(v)'") }() }
            if case .bool(let b)? = o["ipsative"] { options.ipsative = b }
            if let n = o["bootstrap"]?.intValue { options.bootstrap = n }
            if case .number(let s)? = o["seed"] { options.seed = UInt64(s) }
            if case .number(let l)? = o["level"] { options.level = l }
            let scores = try Scorer.score(input, options: options)
            let recomputed = ScoreDocuments.metrics(scores, sources: input.sources).json
            let differences = JSONDiff.differences(metricsDocument, recomputed, limit: 1, ignore: JSONDiff.isInputName)
            if let d = differences.first {
                throw AuditFailure("\(run.name(metrics.path)): \(d.path): stored \(FieldDifference.show(d.a)), recomputed \(FieldDifference.show(d.b))")
            }
            // The value scores beside the metrics, when the run has them.
            if let csv = run.manifest.members.first(where: { ($0.path as NSString).lastPathComponent == "value-scores.csv" }) {
                let stored = String(decoding: try Inputs.readAll(run.path(csv), limit: 256 << 20), as: UTF8.self)
                let again = ScoreDocuments.valueScoresCSV(scores)
                if stored != again {
                    let a = stored.split(separator: "\n", omittingEmptySubsequences: false)
                    let b = again.split(separator: "\n", omittingEmptySubsequences: false)
                    let i = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
                    throw AuditFailure("\(run.name(csv.path)):\(i + 1): stored \(AuditText.clip(i < a.count ? String(a[i]) : "")), "
                        + "recomputed \(AuditText.clip(i < b.count ? String(b[i]) : ""))")
                }
                return "identical (and \(csv.path))"
            }
            return "identical"
        })
    }
}

/// Two JSONL artifacts compared line by line, byte for byte after the header (whose tool and input
/// names — paths — may differ; kinds, params and input hashes may not).
enum LineComparison {
    /// Returns the number of lines compared; throws naming the first line and field that differ.
    @discardableResult
    static func compare(stored: String, storedName: String, recomputed: String) throws -> Int {
        let a = try LineReader(path: stored)
        defer { a.close() }
        let b = try LineReader(path: recomputed)
        defer { b.close() }
        var line = 0
        while true {
            let x = try a.next()
            let y = try b.next()
            line += 1
            switch (x, y) {
            case (nil, nil): return line - 1
            case (nil, _?): throw AuditFailure("\(storedName):\(line): the stored artifact ends here; the recomputation goes on")
            case (_?, nil): throw AuditFailure("\(storedName):\(line): the recomputation ends before this line")
            case (let x?, let y?):
                if line > 1 && x.elementsEqual(y) { continue }
                let p = try? OrderedJSON.parse(Data(x)), q = try? OrderedJSON.parse(Data(y))
                let ignore: (String) -> Bool = line == 1 ? { $0 == "tool" || JSONDiff.isInputName($0) } : { _ in false }
                if let d = JSONDiff.differences(p, q, limit: 1, ignore: ignore).first {
                    throw AuditFailure("\(storedName):\(line): \(d.path.isEmpty ? "the line" : d.path): "
                        + "stored \(FieldDifference.show(d.a)), recomputed \(FieldDifference.show(d.b))")
                }
                if line > 1 { throw AuditFailure("\(storedName):\(line): the same fields written differently (not byte for byte)") }
            }
        }
    }
}
