// The hand-written JSON of query's hot path (request bodies, journal lines) must equal what
// Foundation's JSONEncoder writes with the artifact settings, byte for byte.
import Foundation
import StickArtifacts
import StickBackends
import StickQuery
import StickRandom
import StickTestSupport
import Testing

@Suite struct JSONBytesTests {
    /// Strings that exercise every escaping rule: quotes, backslashes, slashes, all control characters,
    /// non-ASCII and astral characters.
    static let awkwardStrings: [String] = [
        "", "plain", "quote \" and backslash \\ and slash /", "line\nbreak\ttab\rreturn",
        String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }), "\u{7F} del", "é ü ß 中文 🙂", "\u{2028}\u{2029}",
    ]

    /// Plain bytes are skipped eight at a time: a byte to escape at every offset of a word, at the ends, next
    /// to multi-byte characters and in runs, must still come out as JSONEncoder writes it.
    @Test func escapingEqualsJSONEncoderAtEveryOffset() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func check(_ text: String) throws {
            var json = JSONBytes()
            json.string(text)
            #expect(Data(json.bytes) == (try encoder.encode(text)), Comment(rawValue: text.debugDescription))
        }
        let special = ["\"", "\\", "\n", "\u{00}", "\u{01}", "\u{1F}", "\t"]
        let plain = [" ", "a", "~", "\u{7F}", "é", "中", "🙂", "/", "!", "#", "[", "]", "\u{20}"]
        for length in 0...19 {
            try check(String(repeating: "a", count: length))
            for position in 0..<max(1, length) {
                for s in special + plain {
                    var characters = Array(repeating: "x", count: length)
                    if length > 0 { characters[position] = s } else { characters = [s] }
                    try check(characters.joined())
                }
            }
        }
        // Random mixes (seeded: the same strings every run).
        var rng = SplitMix64(seed: 7)
        let alphabet = special + plain + ["a", "b", "c", "d", "e", "f", "g", "h"]
        for _ in 0..<2_000 {
            let count = Int(rng.next() % 40)
            try check((0..<count).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined())
        }
    }

    @Test func requestBodyEqualsJSONEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var rng = SystemRandomNumberGenerator()
        for temperature in [0, 0.7, 1, 1.5, 0.25, 1e-7, 123456789.125] {
            for text in Self.awkwardStrings {
                let parameters = GenerationParameters(
                    temperature: temperature, maxTokens: Int.random(in: 1...4000, using: &rng),
                    n: Bool.random() ? 1 : nil, topP: Bool.random() ? 0.9 : nil, seed: Bool.random() ? 42 : nil,
                    stop: Bool.random() ? ["\n", text] : nil, logprobs: Bool.random() ? true : nil,
                    topLogprobs: Bool.random() ? 5 : nil)
                let request = ChatRequest(model: "m/\(text)", messages: [.system(text), .user("Q: " + text), .assistant("(A)")],
                                          parameters: parameters)
                // What JSONEncoder writes for the same wire object.
                var wire: [String: AnyCodable] = [
                    "model": .init(request.model), "messages": .init(request.messages),
                    "temperature": .init(parameters.temperature), "max_tokens": .init(parameters.maxTokens),
                ]
                if let v = parameters.n { wire["n"] = .init(v) }
                if let v = parameters.topP { wire["top_p"] = .init(v) }
                if let v = parameters.seed { wire["seed"] = .init(v) }
                if let v = parameters.stop { wire["stop"] = .init(v) }
                if let v = parameters.logprobs { wire["logprobs"] = .init(v) }
                if let v = parameters.topLogprobs { wire["top_logprobs"] = .init(v) }
                #expect(request.body() == (try encoder.encode(wire)))
            }
        }
    }

    @Test func responseLineEqualsArtifactEncoder() throws {
        let encoder = StickJSON.encoder()
        for (i, text) in Self.awkwardStrings.enumerated() {
            let request = ChatRequest(model: "gpt", messages: [.user(text)],
                                      parameters: GenerationParameters(temperature: 0.7, maxTokens: 100, n: 1, stop: [text]))
            let full = ResponseRecord(session: "s\(i)/\(text)", context: "chunk_0", personaIndex: i, step: i * 3,
                                      kind: .answer, item: i, request: request, requestSHA256: SHA256Hex.of(text),
                                      content: text, reasoning: text, finishReason: "stop",
                                      usage: TokenUsage(promptTokens: 12, completionTokens: 3), latencyMS: 12.345 * Double(i),
                                      attempts: 2, error: nil, letter: "B", fallback: i % 2 == 0)
            let sparse = ResponseRecord(session: "s", context: "c", personaIndex: 0, step: 0, kind: .conversation,
                                        requestSHA256: "00", latencyMS: 0, attempts: 5, error: "HTTP 500: " + text)
            for record in [full, sparse] {
                #expect(Data(record.jsonLine()) == (try encoder.encode(record)))
            }
        }
    }
}

/// A type-erased Encodable for building the expected wire object.
private struct AnyCodable: Encodable {
    let encodeTo: (Encoder) throws -> Void
    init<T: Encodable>(_ value: T) { encodeTo = value.encode }
    func encode(to encoder: Encoder) throws { try encodeTo(encoder) }
}
