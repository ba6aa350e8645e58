// One model's answers in the shape the statistics need — per context a personas × items matrix —
// read from any of the three layouts `score` accepts: our answers artifact, the reference's
// per-context results.json directories, and a simple wide CSV per context.
import Foundation
import StickArtifacts
import StickPsychometrics

public struct ScoreInput: Sendable {
    public struct Context: Sendable {
        public var name: String
        /// "PVQ" or "SVS" for the reference instruments, else the dataset's instrument id.
        public var instrument: String
        public var keying: ValueKeying
        /// personas × items raw answers; NaN marks an item without an answer.
        public var answers: Matrix
    }

    public var model: String
    public var contexts: [Context]
    /// Persona labels in row order (the same in every context).
    public var personas: [String]
    /// Where the answers came from, for the metrics' provenance.
    public var sources: [InputProvenance]
    /// From an answers artifact: parse's counts per context and status, and the model's token usage.
    public var parseCounts: JSONObject? = nil
    public var usage: JSONObject? = nil

    public var values: [String] { contexts.first?.keying.values ?? [] }

    /// The checks every statistic relies on: personas aligned, the same values everywhere.
    public func validate() throws {
        guard let first = contexts.first else { throw StickError("no contexts in the input") }
        guard contexts.count >= 2 else {
            throw StickError("only one context (\(first.name)): Rank-Order stability needs at least two")
        }
        var seen = Set<String>()
        for c in contexts {
            guard seen.insert(c.name).inserted else { throw StickError("context '\(c.name)' appears twice") }
            guard c.answers.rows == personas.count else {
                throw StickError("context '\(c.name)' has \(c.answers.rows) personas, '\(first.name)' has \(personas.count): "
                    + "personas must be the same, in the same order, in every context")
            }
            guard c.answers.cols == c.keying.itemCount else {
                throw StickError("context '\(c.name)' has \(c.answers.cols) items, its instrument \(c.instrument) has \(c.keying.itemCount)")
            }
            guard Set(c.keying.values) == Set(first.keying.values) else {
                throw StickError("context '\(c.name)' scores the values \(c.keying.values), '\(first.name)' scores \(first.keying.values)")
            }
        }
        guard personas.count >= 3 else { throw StickError("\(personas.count) personas: the statistics need at least 3") }
    }

    /// The leaderboard's nine contexts in the reference's order; inputs holding exactly these are put
    /// in this order (it defines the 36 pairs and the leaderboard columns).
    public static let leaderboardContexts = Leaderboard.contexts

    /// Canonical order when the contexts are the leaderboard's, else `fallback` (the input's own order).
    static func ordered(_ names: [String]) -> [String] {
        Set(names) == Set(leaderboardContexts) && names.count == leaderboardContexts.count ? leaderboardContexts : names
    }
}

/// The Schwartz keys of the reference instruments (StickPsychometrics/README.md §1.2), for inputs that do
/// not carry their own: the reference's results.json and wide CSVs.
public enum ReferenceInstruments {
    public static let valueOrder = ["Conformity", "Tradition", "Benevolence", "Universalism", "Self-Direction",
                                    "Stimulation", "Hedonism", "Achievement", "Power", "Security"]
    static let pvqItems: [[Int]] = [[7, 16, 28, 36], [9, 20, 25, 38], [12, 18, 27, 33], [3, 8, 19, 23, 29, 40],
                                    [1, 11, 22, 34], [6, 15, 30], [10, 26, 37], [4, 13, 24, 32], [2, 17, 39],
                                    [5, 14, 21, 31, 35]]
    static let svsItems: [[Int]] = [[11, 20, 40, 47], [18, 32, 36, 44, 51], [33, 45, 49, 52, 54],
                                    [1, 17, 24, 26, 29, 30, 35, 38], [5, 16, 31, 41, 53], [9, 25, 37], [4, 50, 57],
                                    [34, 39, 43, 55], [3, 12, 27, 46], [8, 13, 15, 22, 56]]
    public static let pvq40 = ValueKeying(values: valueOrder, items: pvqItems.map { $0.map { $0 - 1 } }, itemCount: 40)
    public static let svs57 = ValueKeying(values: valueOrder, items: svsItems.map { $0.map { $0 - 1 } }, itemCount: 57)

    /// The instrument of a reference context: SVS exactly when its name contains "svs" (as the reference decides).
    static func forContext(_ name: String, items: Int, file: String) throws -> (String, ValueKeying) {
        let (instrument, keying) = name.contains("svs") ? ("SVS", svs57) : ("PVQ", pvq40)
        guard items == keying.itemCount else {
            throw StickError("context '\(name)' has \(items) items; the reference's \(instrument) has \(keying.itemCount) "
                + "(a context is SVS exactly when its name contains 'svs')", file: file)
        }
        return (instrument, keying)
    }
}

public enum ScoreInputReader {
    public enum Layout: String, CaseIterable, Sendable {
        /// Our answers artifact (parse's output).
        case answers
        /// The reference's results: a directory per context holding results.json.
        case referenceResults = "reference-results"
        /// One CSV per context: `persona,item1..itemK`.
        case wide
    }

    /// Reads `paths` in the given layout, or guesses it: a file with a stick header is an answers
    /// artifact, directories holding results.json are reference results, CSV files (or a directory of
    /// them) are the wide layout.
    public static func read(_ paths: [String], layout: Layout? = nil) throws -> ScoreInput {
        guard !paths.isEmpty else { throw StickError("no input given") }
        let chosen = try layout ?? guess(paths)
        let input: ScoreInput
        switch chosen {
        case .answers:
            input = paths.count == 1 ? try readAnswers(paths[0]) : try readAnswerShards(paths)
        case .referenceResults: input = try readReferenceResults(expandResultDirectories(paths))
        case .wide: input = try readWide(expandCSVs(paths))
        }
        try input.validate()
        return input
    }

    static func guess(_ paths: [String]) throws -> Layout {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let first = paths[0]
        if first == "-" { return .answers }
        guard fm.fileExists(atPath: first, isDirectory: &isDirectory) else { throw StickError("no such file or directory", file: first) }
        if isDirectory.boolValue {
            if fm.fileExists(atPath: first + "/results.json") { return .referenceResults }
            let entries = (try? fm.contentsOfDirectory(atPath: first)) ?? []
            if entries.contains(where: { fm.fileExists(atPath: first + "/" + $0 + "/results.json") }) { return .referenceResults }
            if entries.contains(where: { $0.hasSuffix(".csv") }) { return .wide }
            throw StickError("holds neither results.json directories nor CSV files", file: first)
        }
        if first.hasSuffix(".csv") { return .wide }
        if first.hasSuffix("results.json") { return .referenceResults }
        return .answers
    }

    // MARK: answers artifact

    /// Several answers artifacts: shards of one model's run, merged first (`stick merge`) into a
    /// temporary file; the sources name every file.
    static func readAnswerShards(_ paths: [String]) throws -> ScoreInput {
        let merged = NSTemporaryDirectory() + ".stick-score-answers-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: merged) }
        do { try ArtifactMerge.merge(paths, output: merged, expected: .answers) } catch let e as StickError {
            throw StickError("several answers artifacts must be shards of one model's run: " + e.message, file: e.file, line: e.line)
        }
        var input = try readAnswers(merged)
        input.sources = try paths.map { InputProvenance(role: "answers", name: $0, sha256: $0 == "-" ? "" : try SHA256Hex.ofFile($0).sha256) }
        return input
    }

    public static func readAnswers(_ path: String) throws -> ScoreInput {
        let reader = try JSONLReader<AnswerRecord>(path: path, kind: .answers)
        defer { reader.close() }
        let header = reader.header
        guard case .array(let described)? = header.params["contexts"] else {
            throw StickError("the answers header has no 'contexts' description (written by parse since this version): "
                + "run parse again", file: reader.name, line: 1)
        }
        var contexts: [(name: String, instrument: String, keying: ValueKeying, personas: Int)] = []
        for value in described {
            guard let c = AnswersContext(json: value) else {
                throw StickError("the answers header's description of a context is incomplete, or lists items outside "
                    + "1…items: \(value.serialized())", file: reader.name, line: 1)
            }
            let keying = ValueKeying(values: c.values.map(\.name), items: c.values.map { $0.items.map { $0 - 1 } }, itemCount: c.items)
            contexts.append((c.name, c.instrument, keying, c.personas))
        }
        let personaCount = contexts.map(\.personas).max() ?? 0
        for c in contexts where c.personas != personaCount {
            throw StickError("context '\(c.name)' has \(c.personas) personas, another has \(personaCount): personas must be "
                + "aligned across contexts (the same population in every context)", file: reader.name, line: 1)
        }
        var matrices = Dictionary(uniqueKeysWithValues: contexts.map {
            ($0.name, Matrix(rows: personaCount, cols: $0.keying.itemCount, repeating: .nan))
        })
        var answered = Dictionary(uniqueKeysWithValues: contexts.map { ($0.name, Set<Int>()) })
        var model: String?
        while let (line, record) = try reader.next() {
            if model == nil { model = record.model }
            guard record.model == model else {
                throw StickError("answers of two models ('\(model!)' and '\(record.model)'): score one model at a time",
                                 file: reader.name, line: line)
            }
            guard var matrix = matrices[record.context] else {
                throw StickError("context '\(record.context)' is not described in the header", file: reader.name, line: line)
            }
            guard record.personaIndex < matrix.rows, record.item < matrix.cols else {
                throw StickError("persona \(record.personaIndex) item \(record.item) is outside context '\(record.context)' "
                    + "(\(matrix.rows) personas, \(matrix.cols) items)", file: reader.name, line: line)
            }
            guard answered[record.context]!.insert(record.personaIndex * matrix.cols + record.item).inserted else {
                throw StickError("persona \(record.personaIndex) item \(record.item) of context '\(record.context)' is answered twice",
                                 file: reader.name, line: line)
            }
            if let score = record.score { matrix[record.personaIndex, record.item] = Double(score) }
            matrices[record.context] = matrix
        }
        for c in contexts where answered[c.name]!.count < personaCount * c.keying.itemCount {
            let missing = personaCount * c.keying.itemCount - answered[c.name]!.count
            throw StickError("context '\(c.name)' lacks \(missing) of its \(personaCount * c.keying.itemCount) answer records "
                + "(every persona must answer every item, possibly with status none or error)", file: reader.name)
        }
        let order = ScoreInput.ordered(contexts.map(\.name))
        let byName = Dictionary(uniqueKeysWithValues: contexts.map { ($0.name, $0) })
        return ScoreInput(
            model: model ?? header.params["model"]?.stringValue ?? "unknown",
            contexts: order.map { ScoreInput.Context(name: $0, instrument: byName[$0]!.instrument, keying: byName[$0]!.keying,
                                                     answers: matrices[$0]!) },
            personas: (0..<personaCount).map(String.init),
            sources: [InputProvenance(role: "answers", name: path, sha256: try Inputs.provenanceSHA256(path))],
            parseCounts: header.summary,
            usage: { if case .object(let u)? = header.params["usage"] { return u }; return nil }())
    }

    // MARK: reference results.json

    static func expandResultDirectories(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for p in paths {
            let dir = p.hasSuffix("/results.json") ? String(p.dropLast("/results.json".count)) : p
            if fm.fileExists(atPath: dir + "/results.json") { out.append(dir); continue }
            let children = try fm.contentsOfDirectory(atPath: dir).sorted()
                .filter { fm.fileExists(atPath: dir + "/" + $0 + "/results.json") }
            guard !children.isEmpty else { throw StickError("no results.json in it or its subdirectories", file: dir) }
            out += children.map { dir + "/" + $0 }
        }
        return out
    }

    /// The context label of a reference run directory: its name before the first "_202" (label_parser).

    public static func readReferenceResults(_ directories: [String]) throws -> ScoreInput {
        try readReferenceRuns(directories).input
    }

    /// The runs, and per context label each persona's answer letters (for import-results), in one read.
    static func readReferenceRuns(_ directories: [String]) throws -> (input: ScoreInput, letters: [String: [[String]]]) {
        var letters: [String: [[String]]] = [:]
        var contexts: [ScoreInput.Context] = []
        var personas: [String]?
        var model: String?
        var sources: [InputProvenance] = []
        for dir in directories {
            let file = dir + "/results.json"
            let data = try Inputs.readAll(file)
            let root: JSONValue
            do { root = try OrderedJSON.parse(data, pythonLiterals: true) } catch { throw StickError("not valid JSON: \(error)", file: file) }
            let label = ReferenceFormats.contextLabel(dir)
            guard case .object(let metrics)? = root["metrics"], let testSet = metrics.keys.first,
                  case .array(let perPersona)? = root["answers"], case .array(let population)? = root["simulated_population"] else {
                throw StickError("is not a reference results.json (needs metrics, answers, simulated_population)", file: file)
            }
            let engine = root["args"]?["engine"]?.stringValue ?? "unknown"
            if model == nil { model = engine }
            guard engine == model else { throw StickError("is a run of model '\(engine)', the others of '\(model!)'", file: file) }
            var rows: [[Double]] = []
            var runLetters: [[String]] = []
            for (p, entry) in perPersona.enumerated() {
                guard case .array(let pairs)? = entry[testSet] else {
                    throw StickError("answers[\(p)] has no '\(testSet)' list", file: file)
                }
                rows.append(try pairs.enumerated().map { i, pair in
                    guard case .array(let lp) = pair, lp.count == 2, case .number(let score) = lp[1] else {
                        throw StickError("answers[\(p)][\(testSet)][\(i)] is not [letter, score]", file: file)
                    }
                    return score
                })
                runLetters.append(pairs.map { pair in if case .array(let lp) = pair { lp[0].stringValue ?? "" } else { "" } })
            }
            letters[label] = runLetters
            let names = population.enumerated().map { i, p in p["name"]?.stringValue ?? String(i) }
            guard rows.count == names.count, let k = rows.first?.count, rows.allSatisfy({ $0.count == k }) else {
                throw StickError("answers and simulated_population differ in length, or personas answered different item counts", file: file)
            }
            if personas == nil { personas = names }
            guard rows.count == personas!.count else {
                throw StickError("has \(rows.count) personas, the first context \(personas!.count): personas must be aligned", file: file)
            }
            var (instrument, keying) = try ReferenceInstruments.forContext(label, items: k, file: file)
            // The reference's value order is its values.json key order, which `metrics` repeats.
            if case .object(let order)? = metrics[testSet], Set(order.keys) == Set(keying.values) {
                keying = keying.reordered(as: order.keys)
            }
            if root["args"]?["data_dir"]?.stringValue?.contains("svs") == true { instrument = "SVS" }
            contexts.append(.init(name: label, instrument: instrument, keying: keying, answers: Matrix(rows)))
            sources.append(InputProvenance(role: "results", name: file, sha256: SHA256Hex.of(data)))
        }
        let order = ScoreInput.ordered(contexts.map(\.name))
        let byName = Dictionary(contexts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return (ScoreInput(model: model ?? "unknown", contexts: order.map { byName[$0]! }, personas: personas ?? [], sources: sources),
                letters)
    }

    // MARK: wide CSV

    static func expandCSVs(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for p in paths {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: p, isDirectory: &isDirectory), isDirectory.boolValue {
                let csvs = try fm.contentsOfDirectory(atPath: p).filter { $0.hasSuffix(".csv") }.sorted()
                guard !csvs.isEmpty else { throw StickError("holds no .csv files", file: p) }
                out += csvs.map { p + "/" + $0 }
            } else {
                out.append(p)
            }
        }
        return out
    }

    /// One CSV per context named `<context>.csv`: a header `persona,item1,…,itemK`, then one row per
    /// persona with its K answers (empty = no answer).
    public static func readWide(_ files: [String]) throws -> ScoreInput {
        var contexts: [ScoreInput.Context] = []
        var personas: [String]?
        var sources: [InputProvenance] = []
        for file in files {
            let data = try Inputs.readAll(file)
            var rows = CSV.rows(String(decoding: data, as: UTF8.self))
            while rows.last?.allSatisfy(\.isEmpty) == true { rows.removeLast() }
            guard let columns = rows.first else { throw StickError("is empty", file: file) }
            guard columns.count >= 2 else { throw StickError("the header must be persona,item1,…,itemK", file: file, line: 1) }
            var names: [String] = []
            var answers: [[Double]] = []
            for (i, fields) in rows.enumerated().dropFirst() {
                guard fields.count == columns.count else {
                    throw StickError("has \(fields.count) fields, the header \(columns.count)", file: file, line: i + 1)
                }
                names.append(fields[0])
                answers.append(try fields.dropFirst().enumerated().map { j, f in
                    if f.isEmpty { return .nan }
                    guard let v = Double(f), v.isFinite else {
                        throw StickError("'\(f)' in column \(columns[j + 1]) is not a number", file: file, line: i + 1)
                    }
                    return v
                })
            }
            if personas == nil { personas = names }
            guard names == personas! else {
                throw StickError("lists other personas (or another order) than \(files[0]): personas must be aligned", file: file)
            }
            let label = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let (instrument, keying) = try ReferenceInstruments.forContext(label, items: columns.count - 1, file: file)
            contexts.append(.init(name: label, instrument: instrument, keying: keying,
                                  answers: Matrix(rows: answers.count, cols: columns.count - 1, storage: answers.flatMap { $0 })))
            sources.append(InputProvenance(role: "wide_csv", name: file, sha256: SHA256Hex.of(data)))
        }
        let order = ScoreInput.ordered(contexts.map(\.name))
        let byName = Dictionary(contexts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        guard byName.count == contexts.count else { throw StickError("two CSV files name the same context") }
        // Wide CSVs carry no model name: the directory holding them names it (override with score --model).
        let model = URL(fileURLWithPath: files[0]).deletingLastPathComponent().standardizedFileURL.lastPathComponent
        return ScoreInput(model: model.isEmpty || model == "/" ? "unknown" : model, contexts: order.map { byName[$0]! },
                          personas: personas ?? [], sources: sources)
    }
}
