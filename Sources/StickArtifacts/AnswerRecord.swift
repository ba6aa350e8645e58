// The answers artifact: one record per (session, item) with the chosen letter, the original option,
// the numeric score and how the answer was obtained.
public struct AnswerRecord: Codable, Hashable, Sendable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Exactly one "(L)" in the answer text.
        case matched
        /// Several letters matched; the alphabetically earliest wins, as in the reference.
        case multiple
        /// Nothing matched and the item is left missing (--on-no-match missing).
        case none
        /// Nothing matched: a random letter was drawn (seeded, or as the reference does).
        case fallback
        /// The call failed; no answer.
        case error
    }

    public var model: String
    public var session: String
    public var context: String
    public var personaIndex: Int
    /// 0-based questionnaire item.
    public var item: Int
    public var letter: String?
    /// The original (unpermuted) option index the letter showed.
    public var option: Int?
    public var score: Int?
    public var status: Status

    public init(model: String, session: String, context: String, personaIndex: Int, item: Int, letter: String?,
                option: Int?, score: Int?, status: Status) {
        self.model = model
        self.session = session
        self.context = context
        self.personaIndex = personaIndex
        self.item = item
        self.letter = letter
        self.option = option
        self.score = score
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case model, session, context, item, letter, option, score, status
        case personaIndex = "persona_index"
    }
}

/// What an answers artifact says about each of its contexts (header `params.contexts`, an array in the
/// sessions' order): `score` needs the instrument's item count and value keys, and the persona count.
public struct AnswersContext: Equatable, Sendable {
    public struct Value: Equatable, Sendable {
        public var name: String
        /// 1-based item numbers, as in the dataset.
        public var items: [Int]

        public init(name: String, items: [Int]) {
            self.name = name
            self.items = items
        }
    }

    public var name: String
    public var instrument: String
    public var items: Int
    public var personas: Int
    public var values: [Value]

    public init(name: String, instrument: String, items: Int, personas: Int, values: [Value]) {
        self.name = name
        self.instrument = instrument
        self.items = items
        self.personas = personas
        self.values = values
    }

    public var json: JSONValue {
        .object([
            ("name", .string(name)), ("instrument", .string(instrument)),
            ("items", .number(Double(items))), ("personas", .number(Double(personas))),
            ("values", .array(values.map { v in .object([("name", .string(v.name)), ("items", .array(v.items.map { .number(Double($0)) }))]) })),
        ])
    }

    /// Reads one entry; nil when a field is missing or an item lies outside 1…items.
    public init?(json value: JSONValue) {
        guard let name = value["name"]?.stringValue, let instrument = value["instrument"]?.stringValue,
              let items = value["items"]?.intValue, let personas = value["personas"]?.intValue,
              case .array(let list)? = value["values"] else { return nil }
        var values: [Value] = []
        for v in list {
            guard let n = v["name"]?.stringValue, case .array(let numbers)? = v["items"] else { return nil }
            let indices = numbers.compactMap(\.intValue)
            guard indices.count == numbers.count, indices.allSatisfy({ (1...items).contains($0) }) else { return nil }
            values.append(Value(name: n, items: indices))
        }
        self.init(name: name, instrument: instrument, items: items, personas: personas, values: values)
    }
}
