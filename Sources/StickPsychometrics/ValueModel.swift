// Schwartz's value theory as the statistics need it: which items score which value, the theoretical
// circumplex (Stress's starting configuration) and the four higher-order CFA sub-models. Constants and
// plain data only.

/// Which items score which value, for one questionnaire.
public struct ValueKeying: Equatable, Sendable {
    /// Value names in the canonical order (the order of the questionnaire's keys).
    public let values: [String]
    /// For each value, its 0-based item indices in ascending order.
    public let items: [[Int]]
    /// Number of items answered (K), including items that score no value (SVS: 11 of 57).
    public let itemCount: Int

    public init(values: [String], items: [[Int]], itemCount: Int) {
        precondition(values.count == items.count, "one item list per value")
        precondition(items.allSatisfy { $0.allSatisfy { (0..<itemCount).contains($0) } }, "item index out of range")
        self.values = values
        self.items = items.map { $0.sorted() }
        self.itemCount = itemCount
    }

    /// Every keyed item in ascending index order (Stress uses these; PVQ-40: 40, SVS-57: 46).
    public var keyedItems: [Int] { Array(Set(items.joined())).sorted() }

    /// The value an item scores, if any (first value listing it).
    public func value(ofItem item: Int) -> Int? { items.firstIndex { $0.contains(item) } }

    public func index(of value: String) -> Int? { values.firstIndex(of: value) }

    /// The same keys with the values in `order` (which must name exactly these values).
    public func reordered(as order: [String]) -> ValueKeying {
        order == values ? self : ValueKeying(values: order, items: order.map { items[index(of: $0)!] }, itemCount: itemCount)
    }
}

public enum SchwartzCircumplex {
    /// The ten values around the circle.
    public static let order = ["Self-Direction", "Stimulation", "Hedonism", "Achievement", "Power",
                               "Security", "Conformity", "Tradition", "Benevolence", "Universalism"]

    /// Theoretical 2-D coordinates of the ten values (StickPsychometrics/README.md §4), the SMACOF start.
    public static let coordinates: [String: (x: Double, y: Double)] = [
        "Self-Direction": (-0.34, 0.94),
        "Stimulation": (-0.87, 0.50),
        "Hedonism": (-0.98, -0.17),
        "Achievement": (-0.64, -0.77),
        "Power": (0.00, -1.00),
        "Security": (0.65, -0.77),
        "Conformity": (0.49, -0.09),
        "Tradition": (0.98, -0.17),
        "Benevolence": (0.87, 0.50),
        "Universalism": (0.34, 0.94),
    ]

    /// The n × 2 starting configuration for the keyed items: every item at its value's point.
    /// Returns nil when a keyed item's value has no circumplex position.
    public static func initialConfiguration(for keying: ValueKeying) -> Matrix? {
        let items = keying.keyedItems
        var m = Matrix(rows: items.count, cols: 2)
        for (row, item) in items.enumerated() {
            guard let v = keying.value(ofItem: item), let point = coordinates[keying.values[v]] else { return nil }
            m[row, 0] = point.x
            m[row, 1] = point.y
        }
        return m
    }
}

/// A higher-order CFA sub-model ("magnifying glass"): correlated factors, one per value.
public struct CFASubModel: Equatable, Sendable {
    public let name: String
    /// Factor value names, in lavaan syntax order.
    public let factors: [String]

    public static let all: [CFASubModel] = [
        CFASubModel(name: "conservation", factors: ["Security", "Conformity", "Tradition"]),
        CFASubModel(name: "openness_to_change", factors: ["Self-Direction", "Stimulation", "Hedonism"]),
        CFASubModel(name: "self_transcendence", factors: ["Benevolence", "Universalism"]),
        CFASubModel(name: "self_enhancement", factors: ["Achievement", "Power"]),
    ]
}
