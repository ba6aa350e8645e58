// The parse stage as a library call: sessions + responses → answers (StickQuery/README.md §4–5).
// Strategy `reference` is the reference's rule exactly; `lenient` also accepts common near-misses;
// `logprobs` reads the letter from the server's token log-probabilities when they were recorded.
// Its unseeded no-match fallback becomes a seeded draw, a reference-compatible draw, or a missing value.
import Foundation
import StickArtifacts
import StickRandom

public enum ParseStrategy: String, Sendable, CaseIterable { case reference, lenient, logprobs }

public enum NoMatchPolicy: Sendable, Equatable {
    /// A draw per (session, step) from the seed: independent of order and of other sessions.
    case seeded(UInt64)
    /// Python's `random.Random(seed).randint`, one generator per context, in request order (value
    /// choices included) — how the reference fixtures were made.
    case reference(UInt64)
    /// Keep the item missing; the statistics handle missing values.
    case missing
}

public struct ParseOptions: Sendable {
    public var strategy: ParseStrategy
    public var noMatch: NoMatchPolicy
    /// Override what the responses header says about how answers were asked.
    public var cot: Bool?
    public var reasoning: ModelConfig.Reasoning?

    public init(strategy: ParseStrategy = .reference, noMatch: NoMatchPolicy = .seeded(0), cot: Bool? = nil,
                reasoning: ModelConfig.Reasoning? = nil) {
        self.strategy = strategy
        self.noMatch = noMatch
        self.cot = cot
        self.reasoning = reasoning
    }
}

/// Parse rates: per context, how many answers had each status.
public struct ParseSummary: Sendable {
    public var counts: [String: [AnswerRecord.Status: Int]] = [:]
    public var contexts: [String] = []

    mutating func add(_ context: String, _ status: AnswerRecord.Status) {
        if counts[context] == nil { contexts.append(context) }
        counts[context, default: [:]][status, default: 0] += 1
    }

    public var json: JSONObject {
        JSONObject(contexts.map { c in
            (c, .object(JSONObject(AnswerRecord.Status.allCases.compactMap { s in
                counts[c]?[s].map { (s.rawValue, JSONValue.number(Double($0))) }
            })))
        })
    }

    public var table: String {
        var table = TextTable([.init("context"), .init("answers", .right), .init("matched", .right), .init("multiple", .right),
                               .init("fallback", .right), .init("none", .right), .init("error", .right), .init("parse rate", .right)])
        for c in contexts {
            let k = counts[c] ?? [:]
            let total = k.values.reduce(0, +)
            let parsed = (k[.matched] ?? 0) + (k[.multiple] ?? 0)
            let cells = [total, k[.matched] ?? 0, k[.multiple] ?? 0, k[.fallback] ?? 0, k[.none] ?? 0, k[.error] ?? 0]
            table.append([c] + cells.map(String.init) + [String(format: "%.1f%%", 100 * Double(parsed) / Double(max(1, total)))])
        }
        return table.render()
    }
}

public enum Parser {
    /// The answer letter from the recorded token alternatives: at the first generated token where some
    /// alternative is an answer letter (ignoring spaces and parentheses, case-sensitive), the letter with
    /// the highest log-probability there. Nil when no position offers a letter.
    public static func logprobLetter(_ positions: [[TokenLogprob]]?, letters: [String]) -> String? {
        guard let positions else { return nil }
        let valid = Set(letters)
        for alternatives in positions {
            var best: (letter: String, logprob: Double)?
            for a in alternatives {
                let bare = a.token.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "()")))
                guard valid.contains(bare), a.logprob.isFinite else { continue }
                if best == nil || a.logprob > best!.logprob { best = (bare, a.logprob) }
            }
            if let best { return best.letter }
        }
        return nil
    }

    /// Near-misses the reference ignores: "B)", "(b)", "Answer: B", a lone letter, the option's text.
    public static func lenientMatch(_ text: String?, letters: [String], options: [String]) -> String? {
        guard let raw = text else { return nil }
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let set = Set(letters)
        func letter(_ s: Substring) -> String? {
            let l = String(s)
            if set.contains(l) { return l }
            let upper = l.uppercased()
            return set.contains(upper) && !set.contains(l) ? upper : nil
        }
        // A lone letter, possibly with a period or bracket.
        let stripped = text.trimmingCharacters(in: CharacterSet(charactersIn: "()[].:* "))
        if stripped.count == 1, let l = letter(Substring(stripped)) { return l }
        // "Answer: B", "Answer: (b)".
        if let r = text.range(of: "Answer:") {
            let after = text[r.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: " ([*"))
            if let first = after.first, let l = letter(Substring(String(first))),
               after.dropFirst().first.map({ !$0.isLetter }) ?? true { return l }
        }
        // "(b)" or "B)" anywhere: the first such mark.
        let scalars = Array(text)
        for i in scalars.indices where scalars[i].isLetter {
            let before = i > 0 ? scalars[i - 1] : " "
            let after = i + 1 < scalars.count ? scalars[i + 1] : " "
            if after == ")" && (before == "(" || before == " " || before == "\n" || i == 0), let l = letter(Substring(String(scalars[i]))) {
                return l
            }
        }
        // The text of one option: the longest one found, when no other found is as long ("Somewhat like me"
        // also contains "like me").
        let lowered = text.lowercased()
        let hits = zip(letters, options).filter { lowered.contains($0.1.lowercased()) }
        guard let longest = hits.map({ $0.1.count }).max() else { return nil }
        let best = hits.filter { $0.1.count == longest }
        return best.count == 1 ? best[0].0 : nil
    }

    /// What `score` needs to know about each context, in the sessions' order (an array: header keys are
    /// written sorted): its name, the instrument, its item count, the persona count and which items score
    /// which value (1-based, as in the dataset).
    static func contextDescriptions(_ sessions: Dictionary<String, SessionRecord>.Values, order: [String: Int]) -> [AnswersContext] {
        var first: [String: SessionRecord] = [:]
        var personas: [String: Set<Int>] = [:]
        for s in sessions {
            if first[s.context].map({ order[$0.id]! > order[s.id]! }) ?? true { first[s.context] = s }
            personas[s.context, default: []].insert(s.personaIndex)
        }
        return first.sorted(by: { order[$0.value.id]! < order[$1.value.id]! }).map { context, s in
            AnswersContext(name: context, instrument: s.instrument, items: s.items.count, personas: personas[context]!.count,
                           values: s.values.map { AnswersContext.Value(name: $0.name, items: $0.items) })
        }
    }

    /// Several sessions or responses files (shards of one run): the same as merging each kind first
    /// (`stick merge`), into temporary files beside the output; the answers header names every file.
    @discardableResult
    public static func run(sessions: [String], responses: [String], output: String, csv: String?,
                           options: ParseOptions) throws -> ParseSummary {
        guard !sessions.isEmpty, !responses.isEmpty else { throw StickError("parse needs a sessions and a responses artifact") }
        if sessions.count == 1 && responses.count == 1 {
            return try run(sessions: sessions[0], responses: responses[0], output: output, csv: csv, options: options)
        }
        let directory = output == "-" ? NSTemporaryDirectory() : URL(fileURLWithPath: output).deletingLastPathComponent().path + "/"
        var temporary: [String] = []
        defer { temporary.forEach { try? FileManager.default.removeItem(atPath: $0) } }
        func merged(_ files: [String], _ kind: ArtifactKind) throws -> String {
            guard files.count > 1 else { return files[0] }
            let path = directory + ".stick-parse-\(kind.rawValue)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).jsonl"
            temporary.append(path)
            try ArtifactMerge.merge(files, output: path, expected: kind)
            return path
        }
        // Named once everything is read, so that a stdin shard's hash covers all of it.
        let inputs = {
            try sessions.map { InputProvenance(role: "sessions", name: $0, sha256: try Inputs.provenanceSHA256($0)) }
                + responses.map { InputProvenance(role: "responses", name: $0, sha256: try Inputs.provenanceSHA256($0)) }
        }
        return try run(sessions: try merged(sessions, .sessions), responses: try merged(responses, .responses), output: output,
                       csv: csv, options: options, inputs: inputs)
    }

    /// Reads `sessions` and `responses` and writes the answers artifact (and a CSV when asked).
    @discardableResult
    public static func run(sessions sessionsPath: String, responses responsesPath: String, output: String, csv: String?,
                           options: ParseOptions) throws -> ParseSummary {
        try run(sessions: sessionsPath, responses: responsesPath, output: output, csv: csv, options: options, inputs: nil)
    }

    static func run(sessions sessionsPath: String, responses responsesPath: String, output: String, csv: String?,
                    options: ParseOptions, inputs given: (() throws -> [InputProvenance])?) throws -> ParseSummary {
        let sessions = try readSessions(sessionsPath)
        let responses = try JSONLReader<ResponseRecord>(path: responsesPath, kind: .responses)
        defer { responses.close() }
        let asked = HowAsked(responses.header, options: options)
        let params = answersParams(asked, options: options, sessions: sessions, responsesHeader: responses.header)
        let (answers, summary) = try parseResponses(responses, sessions: sessions, asked: asked, options: options)
        // After the responses were read to their end: a stdin input's hash covers all of it.
        let inputs = try given?() ?? [
            InputProvenance(role: "sessions", name: sessionsPath, sha256: try Inputs.provenanceSHA256(sessionsPath)),
            InputProvenance(role: "responses", name: responsesPath, sha256: try Inputs.provenanceSHA256(responsesPath))]
        try writeAnswers(answers, header: ArtifactHeader(kind: .answers, params: params, inputs: inputs, summary: summary.json),
                         output: output, csv: csv)
        return summary
    }

    // MARK: the steps of a run

    /// The sessions of a run, indexed: by id, and each id's position in the file.
    struct SessionIndex {
        var path: String
        var header: ArtifactHeader
        var byID: [String: SessionRecord] = [:]
        var order: [String: Int] = [:]
    }

    /// Step 1: reads and indexes the sessions file; every session must be consistent and its id unique.
    static func readSessions(_ path: String) throws -> SessionIndex {
        let reader = try JSONLReader<SessionRecord>(path: path, kind: .sessions)
        defer { reader.close() }
        var index = SessionIndex(path: path, header: reader.header)
        while let (line, s) = try reader.next() {
            if let problem = s.inconsistency() { throw StickError("session '\(s.id)' \(problem)", file: reader.name, line: line) }
            guard index.order[s.id] == nil else { throw StickError("session id '\(s.id)' appears twice", file: reader.name, line: line) }
            index.order[s.id] = index.order.count
            index.byID[s.id] = s
        }
        return index
    }

    /// How the answers were asked: from the options, else from the responses header.
    struct HowAsked {
        var model: String
        var cot: Bool
        var reasoning: ModelConfig.Reasoning

        init(_ header: ArtifactHeader, options: ParseOptions) {
            model = header.params["model"]?.stringValue ?? "unknown"
            cot = options.cot ?? { if case .bool(let b)? = header.params["cot"] { return b }; return false }()
            reasoning = options.reasoning ?? header.params["reasoning"]?.stringValue.flatMap(ModelConfig.Reasoning.init) ?? .none
        }
    }

    /// Step 2: the answers header's parameters — how they were parsed, the contexts `score` needs, the
    /// run and shard they belong to, the model's token usage.
    static func answersParams(_ asked: HowAsked, options: ParseOptions, sessions: SessionIndex, responsesHeader header: ArtifactHeader) -> JSONObject {
        var params = JSONObject()
        params["strategy"] = .string(options.strategy.rawValue)
        params["on_no_match"] = .string({
            switch options.noMatch {
            case .missing: return "missing"
            case .seeded(let s): return "seeded:\(s)"
            case .reference(let s): return "reference:\(s)"
            }
        }())
        params["cot"] = .bool(asked.cot)
        params["reasoning"] = .string(asked.reasoning.rawValue)
        params["model"] = .string(asked.model)
        if let config = header.params["model_config_sha256"] { params["model_config_sha256"] = config }
        params["contexts"] = .array(contextDescriptions(sessions.byID.values, order: sessions.order).map(\.json))
        // Which run and shard these answers belong to (for `stick merge`).
        if let shard = sessions.header.params["shard"] { params["shard"] = shard }
        params["sessions_source"] = .object(ShardedRun.source(of: sessions.header))
        // The model's token usage, carried along for the report.
        if let usage = header.summary { params["usage"] = .object(usage) }
        return params
    }

    /// The no-match fallback's draws: seeded per (session, step), or the reference's generator per context.
    struct FallbackDraws {
        var policy: NoMatchPolicy
        var generators: [String: PythonRandom] = [:]

        mutating func draw(_ record: ResponseRecord, count: Int) -> Int? {
            switch policy {
            case .missing: return nil
            case .seeded(let seed):
                var rng = PythonRandom(seed: "parse#\(seed)#\(record.session)#\(record.step)")
                return rng.randint(0, count - 1)
            case .reference(let seed):
                var rng = generators[record.context] ?? PythonRandom(seed: seed)
                let v = rng.randint(0, count - 1)
                generators[record.context] = rng
                return v
            }
        }
    }

    /// Step 3: every answer record of the responses becomes an answer (conversation turns are skipped;
    /// value choices only consume their fallback draw in reference mode). Answers come back in
    /// questionnaire order within each session, sessions in the sessions file's order.
    static func parseResponses(_ responses: JSONLReader<ResponseRecord>, sessions: SessionIndex, asked: HowAsked,
                               options: ParseOptions) throws -> ([AnswerRecord], ParseSummary) {
        var draws = FallbackDraws(policy: options.noMatch)
        var summary = ParseSummary()
        var answers: [AnswerRecord] = []
        var choicesSeen: [String: Int] = [:]
        while let (line, r) = try responses.next() {
            guard let session = sessions.byID[r.session] else {
                throw StickError("session '\(r.session)' is not in \(sessions.path)", file: responses.name, line: line)
            }
            switch r.kind {
            case .conversation: continue
            case .choice:
                // Value choices enter no score, but in reference mode an unparseable one consumes a draw.
                let ordinal = choicesSeen[r.session, default: 0]
                choicesSeen[r.session] = ordinal + 1
                guard case .reference = options.noMatch, r.error == nil, let result = r.result,
                      let letters = choiceLetters(session, ordinal: ordinal) else { continue }
                let text = AnswerParsing.answerText(result, cot: asked.cot, reasoning: asked.reasoning)
                if AnswerParsing.matches(text, letters: letters).isEmpty { _ = draws.draw(r, count: letters.count) }
            case .answer:
                guard let index = r.item, session.items.indices.contains(index) else {
                    throw StickError("answer record without a valid item (session '\(r.session)' has items 0 to "
                        + "\(session.items.count - 1))", file: responses.name, line: line)
                }
                let answer = parseAnswer(r, item: session.items[index], index: index, asked: asked, strategy: options.strategy, draws: &draws)
                summary.add(r.context, answer.status)
                answers.append(answer)
            }
        }
        // Items in questionnaire order within each session (SVS asks them in another order).
        answers.sort { (sessions.order[$0.session]!, $0.item) < (sessions.order[$1.session]!, $1.item) }
        return (answers, summary)
    }

    /// One answer: the strategy's letter, else the fallback (the SVS letter already in the conversation,
    /// a draw, or missing); an error record stays an error.
    static func parseAnswer(_ r: ResponseRecord, item: SessionItem, index: Int, asked: HowAsked, strategy: ParseStrategy,
                            draws: inout FallbackDraws) -> AnswerRecord {
        var answer = AnswerRecord(model: asked.model, session: r.session, context: r.context, personaIndex: r.personaIndex,
                                  item: index, letter: nil, option: nil, score: nil, status: .error)
        if let result = r.result {
            let text = AnswerParsing.answerText(result, cot: asked.cot, reasoning: asked.reasoning)
            let matches = AnswerParsing.matches(text, letters: item.letters)
            if strategy == .logprobs, let l = logprobLetter(result.topLogprobs, letters: item.letters) {
                answer.letter = l
                answer.status = .matched
            } else if let first = matches.first {
                answer.letter = first
                answer.status = matches.count == 1 ? .matched : .multiple
            } else if strategy == .lenient, let l = lenientMatch(text ?? result.content, letters: item.letters, options: item.options) {
                answer.letter = l
                answer.status = .matched
            } else {
                let drawn = draws.draw(r, count: item.letters.count)
                // An SVS fallback already entered the conversation: keep that letter.
                if let recorded = r.letter, r.fallback == true {
                    answer.letter = recorded
                    answer.status = .fallback
                } else if let drawn {
                    answer.letter = item.letters[drawn]
                    answer.status = .fallback
                } else {
                    answer.status = .none
                }
            }
        }
        if let l = answer.letter, let j = item.letters.firstIndex(of: l) {
            answer.option = item.permutation[j]
            answer.score = item.scores[j]
        }
        return answer
    }

    /// Step 4: the answers artifact, and the CSV view when asked.
    static func writeAnswers(_ answers: [AnswerRecord], header: ArtifactHeader, output: String, csv: String?) throws {
        try withOutput(output) { out in
            let writer = try JSONLWriter(output: out, header: header)
            for a in answers { try writer.write(a) }
        }
        guard let csv else { return }
        try withOutput(csv) { out in
            try out.write("model,context,persona_index,item_index,letter,score,fallback,status\n")
            for a in answers {
                let fields = [a.model, a.context, String(a.personaIndex), String(a.item), a.letter ?? "",
                              a.score.map(String.init) ?? "", a.status == .fallback ? "1" : "0", a.status.rawValue]
                try out.write(fields.map(CSV.field).joined(separator: ",") + "\n")
            }
        }
    }

    /// The letters a value choice offered: the k-th choice of a session is group k/2's "most" (all its
    /// values) or "least" (all but the one chosen) question.
    static func choiceLetters(_ session: SessionRecord, ordinal k: Int) -> [String]? {
        guard let groups = session.svs?.groups, k / 2 < groups.count else { return nil }
        return Array(optionLetters.prefix(groups[k / 2].items.count - k % 2))
    }
}
