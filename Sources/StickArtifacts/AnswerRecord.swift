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
