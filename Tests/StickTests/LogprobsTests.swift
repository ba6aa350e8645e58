// Token log-probabilities: read from an OpenAI-compatible body, kept in the responses artifact, and
// turned into an answer letter by `parse --strategy logprobs`.
import Foundation
import StickArtifacts
@testable import StickBackends
import StickParse
import StickQuery
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
