// Loader for ../shared/fixtures/metrics: the per-model cases (nine wide CSVs + expected.json) and
// comparison helpers with the README's conventions (JSON null = NaN).
import Foundation
import StickPsychometrics
import StickScore

enum MetricFixtures {
    /// ../shared/fixtures/metrics, found by walking up from this file; nil when absent.
    static let root: URL? = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("shared/fixtures/metrics")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("README.md").path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    static var available: Bool { root != nil }

    static let perModelCases = ["seed0", "seed1", "edge_constant_persona_and_items", "nan_constant_centred_value",
                                "degenerate_context"]

    /// The Schwartz keys of PVQ-40 and SVS-57 (the README's table), as the toolkit defines them.
    static let valueOrder = ReferenceInstruments.valueOrder
    static let pvqKeying = ReferenceInstruments.pvq40
    static let svsKeying = ReferenceInstruments.svs57

    struct Case {
        let name: String
        let contexts: [String]
        /// Raw answers per context: personas × items.
        let answers: [String: Matrix]
        let expected: [String: Any]

        func keying(_ context: String) -> ValueKeying {
            context.contains("svs") ? MetricFixtures.svsKeying : MetricFixtures.pvqKeying
        }
    }

    static func load(_ name: String) throws -> Case {
        let dir = root!.appendingPathComponent(name)
        let expected = try JSONSerialization.jsonObject(
            with: Data(contentsOf: dir.appendingPathComponent("expected.json"))) as! [String: Any]
        let contexts = expected["contexts"] as! [String]
        var answers: [String: Matrix] = [:]
        for context in contexts {
            let text = try String(contentsOf: dir.appendingPathComponent("\(context).csv"), encoding: .utf8)
            let rows = text.split(whereSeparator: \.isNewline).dropFirst().map { line in
                line.split(separator: ",").dropFirst().map { Double($0)! }
            }
            answers[context] = Matrix(rows)
        }
        return Case(name: name, contexts: contexts, answers: answers, expected: expected)
    }

    /// The value at a `/`-separated path of nested objects/arrays (array components are indices).
    static func value(_ object: Any, _ path: String) -> Any? {
        var current: Any? = object
        for component in path.split(separator: "/") {
            if let dict = current as? [String: Any] { current = dict[String(component)] }
            else if let array = current as? [Any], let i = Int(component), array.indices.contains(i) { current = array[i] }
            else { return nil }
        }
        return current
    }

    /// A JSON number as Double; JSON null as NaN.
    static func double(_ any: Any?) -> Double? {
        if any is NSNull { return .nan }
        return (any as? NSNumber)?.doubleValue
    }

    /// Whether `actual` matches `expected` within `tolerance`, with null (NaN) matching only NaN.
    static func matches(_ actual: Double, _ expected: Double, tolerance: Double) -> Bool {
        if expected.isNaN || actual.isNaN { return expected.isNaN && actual.isNaN }
        return abs(actual - expected) <= tolerance
    }
}
