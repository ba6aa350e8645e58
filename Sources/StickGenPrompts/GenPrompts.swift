// The gen-prompts stage as a library call: dataset + design → sessions artifact.
import StickArtifacts
import StickDataset

public struct GenPromptsResult: Sendable {
    public var sessions: Int
    public var calls: Int
    public var perContext: [(String, Int)]
}

public enum GenPrompts {
    /// Writes the sessions artifact for `design` over `dataset` to `output` (`-` for stdout).
    @discardableResult
    public static func run(dataset: Dataset, design: Design, designSHA256: String, designSource: String,
                           selection: SessionSelection, output: String) throws -> GenPromptsResult {
        var params = JSONObject()
        params["design"] = .string(design.name)
        params["design_source"] = .string(designSource)
        params["dataset"] = .string(dataset.manifest.name)
        params["population"] = .string(design.population)
        if let c = selection.contexts { params["contexts"] = .array(c.map { .string($0) }) }
        if let p = selection.personas { params["personas"] = .array(p.sorted().map { .number(Double($0)) }) }
        if let s = selection.shard { params["shard"] = .string("\(s.index)/\(s.count)") }
        let header = ArtifactHeader(kind: .sessions, params: params, inputs: [
            InputProvenance(role: "dataset", name: dataset.location, sha256: dataset.manifestSHA256),
            InputProvenance(role: "design", name: designSource, sha256: designSHA256),
        ])
        var sessions = 0, calls = 0
        var perContext: [(String, Int)] = []
        try withOutput(output) { out in
            let writer = try JSONLWriter(output: out, header: header)
            try SessionGenerator.generate(dataset: dataset, design: design, selection: selection) { record in
                try writer.write(record)
                sessions += 1
                calls += record.calls
                if perContext.last?.0 == record.context { perContext[perContext.count - 1].1 += 1 } else {
                    perContext.append((record.context, 1))
                }
            }
        }
        return GenPromptsResult(sessions: sessions, calls: calls, perContext: perContext)
    }
}
