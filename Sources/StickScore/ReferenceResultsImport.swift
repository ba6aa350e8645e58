// The reference's raw results (one results.json per model and context, protocol.md §9) as our answers
// artifact, so runs made with the reference code enter the same score → rank → report path.
import Foundation
import StickArtifacts
import StickPsychometrics

public enum ReferenceResultsImport {
    /// Writes the answers artifact of the runs in `paths` (run directories, or directories holding
    /// them); returns the model and the number of answers written.
    @discardableResult
    public static func run(_ paths: [String], output: String) throws -> (model: String, answers: Int) {
        let directories = try ScoreInputReader.expandResultDirectories(paths)
        let input = try ScoreInputReader.readReferenceResults(directories)
        try input.validate()
        var letters: [String: [[String]]] = [:]
        for dir in directories {
            let root = try OrderedJSON.parse(try Inputs.readAll(dir + "/results.json"), pythonLiterals: true)
            guard case .object(let metrics)? = root["metrics"], let testSet = metrics.keys.first,
                  case .array(let perPersona)? = root["answers"] else { continue }
            letters[ScoreInputReader.referenceLabel(dir)] = perPersona.map { entry in
                guard case .array(let pairs)? = entry[testSet] else { return [] }
                return pairs.map { pair in
                    if case .array(let lp) = pair, let l = lp.first?.stringValue { return l }
                    return ""
                }
            }
        }
        var contexts: [JSONValue] = []
        for c in input.contexts {
            contexts.append(.object(JSONObject([
                ("name", .string(c.name)),
                ("instrument", .string(c.instrument)),
                ("items", .number(Double(c.keying.itemCount))),
                ("personas", .number(Double(input.personas.count))),
                ("values", .array(zip(c.keying.values, c.keying.items).map { name, items in
                    .object(JSONObject([("name", .string(name)), ("items", .array(items.map { .number(Double($0 + 1)) }))]))
                })),
            ])))
        }
        var params = JSONObject()
        params["model"] = .string(input.model)
        params["source"] = .string("reference results.json (value_stability evaluate.py)")
        params["contexts"] = .array(contexts)
        let header = ArtifactHeader(kind: .answers, params: params, inputs: input.sources)
        var count = 0
        try withOutput(output) { out in
            let writer = try JSONLWriter(output: out, header: header)
            for c in input.contexts {
                for p in 0..<c.answers.rows {
                    for i in 0..<c.answers.cols {
                        let score = c.answers[p, i]
                        let letter = letters[c.name]?[p].indices.contains(i) == true ? letters[c.name]![p][i] : ""
                        try writer.write(AnswerRecord(
                            model: input.model, session: "\(c.name)/\(p)", context: c.name, personaIndex: p, item: i,
                            letter: letter.isEmpty ? nil : letter, option: nil, score: score.isNaN ? nil : Int(score),
                            status: score.isNaN ? .none : .matched))
                        count += 1
                    }
                }
            }
        }
        return (input.model, count)
    }
}
