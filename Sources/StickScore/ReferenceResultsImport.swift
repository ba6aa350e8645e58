// The reference's raw results (one results.json per model and context, StickQuery/README.md §8) as our answers
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
        let (input, letters) = try ScoreInputReader.readReferenceRuns(directories)
        try input.validate()
        let contexts = input.contexts.map { c in
            AnswersContext(name: c.name, instrument: c.instrument, items: c.keying.itemCount, personas: input.personas.count,
                           values: zip(c.keying.values, c.keying.items).map { .init(name: $0, items: $1.map { $0 + 1 }) })
        }
        var params = JSONObject()
        params["model"] = .string(input.model)
        params["source"] = .string("reference results.json (value_stability evaluate.py)")
        params["contexts"] = .array(contexts.map(\.json))
        let header = ArtifactHeader(kind: .answers, params: params, inputs: input.sources)
        var count = 0
        try withOutput(output) { out in
            let writer = try JSONLWriter(output: out, header: header)
            for c in input.contexts {
                for p in 0..<c.answers.rows {
                    for i in 0..<c.answers.cols {
                        let score = c.answers[p, i]
                        let letter = letters[c.name]?[p][i] ?? ""
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
