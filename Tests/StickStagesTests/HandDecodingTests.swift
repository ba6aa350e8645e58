// The hand-written decoders on query's hot path (sessions records, completion bodies) against the
// decoders they stand in for: on every input where the fast path answers, it must read what
// JSONDecoder (sessions) or the JSON-tree reading (completion bodies) reads; on the plain shapes our
// writers emit it must answer (or it speeds nothing up).
import Foundation
import StickArtifacts
@testable import StickBackends
import StickDataset
import StickGenPrompts
import StickTestSupport
import Testing

@Suite struct HandDecodingTests {
    /// Every session line of the demo design (PVQ and SVS, with and without conversations).
    static func demoSessionLines() throws -> [String] {
        let scratch = try ScratchDirectory()
        let file = scratch.file("sessions.jsonl")
        let demo = try Dataset.load("demo")
        let (design, sha, source) = try Design.load("demo")
        try GenPrompts.run(dataset: demo, design: design, designSHA256: sha, designSource: source,
                           selection: .init(contexts: nil, personas: nil), output: file)
        return Array(try readLines(file).dropFirst())
    }

    static func fast(_ line: String) -> SessionRecord? {
        Array(line.utf8).withUnsafeBufferPointer { SessionRecord.fastDecode($0) }
    }

    static func oracle(_ line: String) -> SessionRecord? {
        try? JSONDecoder().decode(SessionRecord.self, from: Data(line.utf8))
    }

    @Test func sessionsAsGenPromptsWritesThemTakeTheFastPath() throws {
        let lines = try Self.demoSessionLines()
        #expect(lines.count > 10)
        #expect(lines.contains { $0.contains(#""procedure":"svs""#) })
        #expect(lines.contains { $0.contains(#""conversation":{"#) })
        for line in lines {
            let fast = Self.fast(line)
            #expect(fast != nil)
            #expect(fast == Self.oracle(line))
        }
    }

    /// Single-byte edits of real lines (dropped, doubled, replaced by JSON's structural and escape
    /// characters): whatever the fast path accepts, JSONDecoder reads the same way.
    @Test func editedSessionsNeverReadDifferently() throws {
        let line = try Self.demoSessionLines().first { $0.contains(#""conversation":{"#) }!
        let bytes = Array(line.utf8)
        let replacements: [UInt8] = Array(#"{}[]",:\/0-1.eE nultrfa"#.utf8) + [0x00, 0x0A, 0xC3, 0xFF]
        var accepted = 0, checked = 0
        // Every 263rd position (a prime, so the offsets drift through every kind of token) keeps it quick.
        for position in stride(from: 0, to: bytes.count, by: 263) {
            var variants: [[UInt8]] = []
            var dropped = bytes; dropped.remove(at: position); variants.append(dropped)
            var doubled = bytes; doubled.insert(bytes[position], at: position); variants.append(doubled)
            for r in replacements where r != bytes[position] {
                var replaced = bytes; replaced[position] = r; variants.append(replaced)
            }
            for variant in variants {
                checked += 1
                guard let fast = variant.withUnsafeBufferPointer({ SessionRecord.fastDecode($0) }) else { continue }
                accepted += 1
                let oracle = try? JSONDecoder().decode(SessionRecord.self, from: Data(variant))
                #expect(oracle == fast, "\(String(decoding: variant, as: UTF8.self))")
            }
        }
        // Some edits stay valid (a changed letter inside a text): the comparison is not vacuous.
        #expect(accepted > 0 && accepted < checked)
    }

    /// Shapes the fast path leaves to JSONDecoder, and escapes it must read exactly (regex edits of a
    /// PVQ line without conversation).
    @Test(arguments: [
        (#""instrument":"demo-pvq30""#, #""instrument":"d\\u0065mo\\/\\"\\\\\\n\\t\\u00e9\\ud83d\\ude42""#, true),
        (#""instrument":"demo-pvq30""#, #""instrument":"demo\\ud83d""#, false),            // a lone surrogate
        (#""instrument":"demo-pvq30""#, #""instrument":"demo-pvq30","extra":1"#, false),     // an unknown member
        (#""instrument":"demo-pvq30""#, #""instrument":"demo-pvq30","instrument":"x""#, false), // a repeated one
        (#""persona_index":([0-9]+)"#, #""persona_index":$1.0"#, false),                  // not a plain integer
        (#""instrument":"demo-pvq30""#, #""instrument":"demo-pvq30","svs":null,"conversation":null"#, true),
    ])
    func unusualShapesFallBack(pattern: String, template: String, fastPathReadsIt: Bool) throws {
        let line = try Self.demoSessionLines().first {
            $0.contains(#""instrument":"demo-pvq30""#) && !$0.contains(#""conversation":"#) && !$0.contains(#""svs":"#)
        }!
        let edited = line.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
        #expect(edited != line)
        let fast = Self.fast(edited)
        #expect((fast != nil) == fastPathReadsIt)
        if let fast { #expect(fast == Self.oracle(edited)) }
    }

    /// The completion bodies of CompletionBodyTests and single-byte edits of a fake-server body: where the
    /// scanner answers, it reads what the JSON tree reads.
    @Test func completionScannerAgreesWithTheTreeReading() {
        let body = #"{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"(B) \"x\" \u00e9"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15},"system_fingerprint":"f"}"#
        #expect(Self.scan(body) != nil)
        let bytes = Array(body.utf8)
        var variants = CompletionBodyTests.bodies.map { Array($0.utf8) } + [bytes]
        for position in bytes.indices {
            var dropped = bytes; dropped.remove(at: position); variants.append(dropped)
            for r in Array(#"{}[]",:\0-1.e n"#.utf8) where r != bytes[position] {
                var replaced = bytes; replaced[position] = r; variants.append(replaced)
            }
        }
        var accepted = 0
        for variant in variants {
            guard let fast = variant.withUnsafeBufferPointer({ OpenAIBackend.scanCompletion($0) }) else { continue }
            accepted += 1
            let tree = try? OpenAIBackend.treeCompletion(Data(variant))
            #expect(tree != nil, "\(String(decoding: variant, as: UTF8.self))")
            if let tree {
                #expect(Self.same(fast, tree), "\(String(decoding: variant, as: UTF8.self))")
            }
        }
        #expect(accepted > 10 && accepted < variants.count)
    }

    static func scan(_ body: String) -> (choices: [OpenAIBackend.Choice]?, usage: TokenUsage?)? {
        Array(body.utf8).withUnsafeBufferPointer { OpenAIBackend.scanCompletion($0) }
    }

    typealias Reading = (choices: [OpenAIBackend.Choice]?, usage: TokenUsage?)

    static func same(_ a: Reading, _ b: Reading) -> Bool {
        guard a.usage == b.usage, a.choices?.count == b.choices?.count else { return false }
        for (x, y) in zip(a.choices ?? [], b.choices ?? []) {
            guard x.finishReason == y.finishReason, x.topLogprobs == y.topLogprobs,
                  x.message?.content == y.message?.content, x.message?.reasoning == y.message?.reasoning,
                  (x.message == nil) == (y.message == nil) else { return false }
        }
        return true
    }
}
