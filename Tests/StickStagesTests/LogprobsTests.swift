// Token log-probabilities: read from an OpenAI-compatible body, kept in the responses artifact, and
// turned into an answer letter by `parse --strategy logprobs`.
import Foundation
import StickArtifacts
@testable import StickBackends
import StickParse
import StickQuery
import StickTestSupport
import Testing

@Suite struct LogprobsTests {
    @Test func letterFromTheFirstPositionOfferingOne() {
        let positions: [[TokenLogprob]] = [
            [.init(token: " (", logprob: -0.01), .init(token: "I", logprob: -5)],        // no answer letter here
            [.init(token: "A", logprob: -2.3), .init(token: "B", logprob: -0.2), .init(token: "b", logprob: -0.1)],
            [.init(token: "C", logprob: -0.001)],                                       // later positions do not count
        ]
        #expect(Parser.logprobLetter(positions, letters: ["A", "B", "C"]) == "B", "case-sensitive: 'b' is no letter")
        #expect(Parser.logprobLetter([[.init(token: "(D)", logprob: -1), .init(token: " A", logprob: -3)]],
                                     letters: ["A", "B", "C", "D"]) == "D", "parentheses and spaces are ignored")
        #expect(Parser.logprobLetter([[.init(token: "x", logprob: -1)]], letters: ["A"]) == nil)
        #expect(Parser.logprobLetter(nil, letters: ["A"]) == nil)
    }

    @Test func openAIBodyLogprobsAreKept() throws {
        let body = """
            {"choices":[{"message":{"role":"assistant","content":"(B)"},"finish_reason":"stop",
              "logprobs":{"content":[
                {"token":"(","logprob":-0.5,"top_logprobs":[{"token":"(","logprob":-0.5},{"token":"I","logprob":-1.5}]},
                {"token":"B","logprob":-0.1,"top_logprobs":[]}]}}],
             "usage":{"prompt_tokens":10,"completion_tokens":2}}
            """
        let result = try OpenAIBackend.parse(Data(body.utf8), endpoint: "test")
        #expect(result.topLogprobs == [[.init(token: "(", logprob: -0.5), .init(token: "I", logprob: -1.5)],
                                       [.init(token: "B", logprob: -0.1)]])
        #expect(Parser.logprobLetter(result.topLogprobs, letters: ["A", "B"]) == "B")
        let plain = try OpenAIBackend.parse(Data(#"{"choices":[{"message":{"content":"(A)"}}]}"#.utf8), endpoint: "test")
        #expect(plain.topLogprobs == nil)
    }

    @Test func recordsKeepThemByteExactly() throws {
        let record = ResponseRecord(session: "s", context: "c", personaIndex: 0, step: 3, kind: .answer, item: 2,
                                    requestSHA256: "ab", content: "(B)", latencyMS: 1.5, attempts: 1)
        var withLogprobs = record
        withLogprobs.topLogprobs = [[.init(token: "\"B\"", logprob: -0.25), .init(token: "A", logprob: -1e-7)]]
        let line = Data(withLogprobs.jsonLine())
        #expect(line == (try JSONEncoder.sortedWithoutEscapingSlashes.encode(withLogprobs)))
        #expect(try JSONDecoder().decode(ResponseRecord.self, from: line) == withLogprobs)
    }
}

extension JSONEncoder {
    static var sortedWithoutEscapingSlashes: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}

/// `OpenAIBackend.parse` reads completion bodies by hand; the Codable shape it replaced (kept here as the
/// oracle) must accept and reject the same bodies and read the same fields.
@Suite struct CompletionBodyTests {
    struct CodableBody: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String?; var reasoning_content: String? }
            struct Logprobs: Decodable {
                struct Entry: Decodable {
                    struct Alternative: Decodable { var token: String; var logprob: Double }
                    var token: String
                    var logprob: Double
                    var top_logprobs: [Alternative]?
                }
                var content: [Entry]?
            }
            var message: Message?
            var finish_reason: String?
            var logprobs: Logprobs?
        }
        struct Usage: Decodable { var prompt_tokens: Int?; var completion_tokens: Int? }
        var choices: [Choice]?
        var usage: Usage?
    }

    /// The oracle's reading: nil for a malformed body, .failure for a body without a usable choice.
    static func oracle(_ body: String) -> Result<ChatResult, Never>?? {
        guard let d = try? JSONDecoder().decode(CodableBody.self, from: Data(body.utf8)) else { return nil }
        guard let c = d.choices?.first, let m = c.message else { return .some(nil) }
        let top = c.logprobs?.content.map { entries in
            entries.map { e in
                (e.top_logprobs?.isEmpty == false ? e.top_logprobs! : [.init(token: e.token, logprob: e.logprob)])
                    .map { TokenLogprob(token: $0.token, logprob: $0.logprob) }
            }
        }
        let usage = d.usage.map { TokenUsage(promptTokens: $0.prompt_tokens ?? 0, completionTokens: $0.completion_tokens ?? 0) }
        return .success(ChatResult(content: m.content, reasoning: m.reasoning_content, finishReason: c.finish_reason,
                                   usage: usage, topLogprobs: top))
    }

    static let bodies = [
        #"{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"(B) \"quoted\" \\ \n é 🙂"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}"#,
        #"{"choices":[{"message":{"content":null,"reasoning_content":"because"},"finish_reason":null}],"usage":null}"#,
        #"{"choices":[{"message":{"content":"a","reasoning_content":null},"logprobs":{"content":[{"token":"a","logprob":-0.5,"top_logprobs":null},{"token":"b","logprob":-1,"top_logprobs":[{"token":"c","logprob":-2e-3}]}]}}]}"#,
        #"{"choices":[{"message":{"content":"a"},"logprobs":{"content":null}}],"usage":{"prompt_tokens":1.0}}"#,
        #"{"choices":[{"message":{"content":"a"},"logprobs":null}],"usage":{}}"#,
        #"{"choices":[],"usage":{"prompt_tokens":1}}"#,
        #"{"choices":null}"#,
        #"{"choices":[{"finish_reason":"stop"}]}"#,
        #"{}"#,
        // Malformed: truncated, wrong types anywhere, not an object.
        #"{"choices":[{"message":{"content":"(A)"}"#,
        #"{"choices":[{"message":{"content":5}}]}"#,
        #"{"choices":[{"message":{"content":"a"}},{"message":"b"}]}"#,
        #"{"choices":{"message":{"content":"a"}}}"#,
        #"{"choices":[{"message":{"content":"a"},"finish_reason":1}]}"#,
        #"{"choices":[{"message":{"content":"a"}}],"usage":{"prompt_tokens":1.5}}"#,
        #"{"choices":[{"message":{"content":"a"}}],"usage":{"prompt_tokens":"1"}}"#,
        #"{"choices":[{"message":{"content":"a"}}],"usage":[]}"#,
        #"{"choices":[{"message":{"content":"a"},"logprobs":{"content":[{"token":"a"}]}}]}"#,
        #"{"choices":[{"message":{"content":"a"},"logprobs":{"content":[{"token":"a","logprob":-1,"top_logprobs":[{"token":1,"logprob":0}]}]}}]}"#,
        #"[{"choices":[]}]"#,
        #""#,
        #"{"choices":[{"message":{"content":"a"}}]} x"#,
    ]

    @Test(arguments: bodies)
    func handReadingAgreesWithTheCodableShape(body: String) {
        let ours: ChatResult?? = {
            do { return .some(try OpenAIBackend.parse(Data(body.utf8), endpoint: "e")) } catch let e as BackendError {
                // A malformed body is retried at once; a body without choices backs off.
                return e.message.contains("malformed") && e.retryAtOnce ? nil : .some(nil)
            } catch { return .some(nil) }
        }()
        switch (Self.oracle(body), ours) {
        case (nil, nil): break
        case (.some(nil), .some(nil)): break
        case (.some(.some(.success(let expected))), .some(.some(let got))): #expect(got == expected)
        default: Issue.record("oracle \(String(describing: Self.oracle(body))) vs \(String(describing: ours))")
        }
    }
}
