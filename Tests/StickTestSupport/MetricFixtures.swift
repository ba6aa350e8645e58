// Loader for ../shared/fixtures/metrics: the per-model cases (nine wide CSVs + expected.json) and
// comparison helpers with the README's conventions (JSON null = NaN).
import Foundation
import StickPsychometrics
import StickScore


package enum MetricFixtures {
    /// ../shared/fixtures/metrics; nil when absent.
    package static let root: URL? = TestPaths.fixtures.map { URL(fileURLWithPath: $0).appendingPathComponent("metrics") }
        .flatMap { FileManager.default.fileExists(atPath: $0.appendingPathComponent("README.md").path) ? $0 : nil }

    package static var available: Bool { root != nil }

    package static let perModelCases = ["seed0", "seed1", "edge_constant_persona_and_items", "nan_constant_centred_value",
                                "degenerate_context"]

    /// The Schwartz keys of PVQ-40 and SVS-57 (the README's table), as the toolkit defines them.
    package static let valueOrder = ReferenceInstruments.valueOrder
    package static let pvqKeying = ReferenceInstruments.pvq40
    package static let svsKeying = ReferenceInstruments.svs57

    package struct Case {
        package let name: String
        package let contexts: [String]
        /// Raw answers per context: personas × items.
        package let answers: [String: Matrix]
        package let expected: [String: Any]

        package func keying(_ context: String) -> ValueKeying {
            context.contains("svs") ? MetricFixtures.svsKeying : MetricFixtures.pvqKeying
        }
    }

    package static func load(_ name: String) throws -> Case {
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
    package static func value(_ object: Any, _ path: String) -> Any? {
        var current: Any? = object
        for component in path.split(separator: "/") {
            if let dict = current as? [String: Any] { current = dict[String(component)] }
            else if let array = current as? [Any], let i = Int(component), array.indices.contains(i) { current = array[i] }
            else { return nil }
        }
        return current
    }

    /// A JSON number as Double; JSON null as NaN.
    package static func double(_ any: Any?) -> Double? {
        if any is NSNull { return .nan }
        return (any as? NSNumber)?.doubleValue
    }

    /// Whether `actual` matches `expected` within `tolerance`, with null (NaN) matching only NaN.
    package static func matches(_ actual: Double, _ expected: Double, tolerance: Double) -> Bool {
        if expected.isNaN || actual.isNaN { return expected.isNaN && actual.isNaN }
        return abs(actual - expected) <= tolerance
    }
}
