// Python's `random` reproduced bit for bit: protocol.md §4 test vectors and values printed by CPython 3.11.
import StickDigest
import Foundation
import StickRandom
import StickTestSupport
import Testing

@Suite struct PythonRandomTests {
    @Test func firstRawOutputsOfStringSeed() {
        var r = PythonRandom(seed: "leaderboard_no_conv")
        #expect([r.nextUInt32(), r.nextUInt32(), r.nextUInt32()] == [4_045_314_622, 2_961_776_792, 3_824_933_825])
    }

    struct Vector: Sendable, CustomTestStringConvertible {
        var seed: String, n: Int, used: Int, first3: [String], last: String, sha16: String, firstRandom: Double
        var testDescription: String { seed }
    }

    // protocol.md §4, table "Test vectors".
    static let vectors: [Vector] = [
        .init(seed: "leaderboard_no_conv", n: 6, used: 89, first3: ["531024", "513420", "032154"], last: "234051", sha16: "9dc553b5d6bda163", firstRandom: 0.9418732053756147),
        .init(seed: "leaderboard_0", n: 6, used: 89, first3: ["510342", "310452", "431250"], last: "023145", sha16: "a2a55e058d3e2747", firstRandom: 0.8716571806965997),
        .init(seed: "leaderboard_1", n: 6, used: 89, first3: ["520413", "124503", "421350"], last: "512340", sha16: "6f8c5db417cacca3", firstRandom: 0.9063012829759085),
        .init(seed: "leaderboard_2", n: 6, used: 89, first3: ["340521", "135024", "304251"], last: "315402", sha16: "167009714314780e", firstRandom: 0.6081181867313837),
        .init(seed: "leaderboard_3", n: 6, used: 89, first3: ["015432", "154032", "041325"], last: "523014", sha16: "c2f9e1aea2f54054", firstRandom: 0.032435238091047314),
        .init(seed: "leaderboard_4", n: 6, used: 89, first3: ["041253", "524130", "532140"], last: "041352", sha16: "e366b32b7c794687", firstRandom: 0.10212774781399736),
        .init(seed: "leaderboard_chess_0", n: 6, used: 89, first3: ["213450", "514230", "312054"], last: "320145", sha16: "5326fd1b58e02b52", firstRandom: 0.3804269612247003),
        .init(seed: "leaderboard_grammar_1", n: 6, used: 89, first3: ["132540", "530241", "452310"], last: "241305", sha16: "6a521d872af6c534", firstRandom: 0.2487091256759958),
        .init(seed: "leaderboard_svs_no_conv", n: 9, used: 106, first3: ["123507486", "834701526", "145268073"], last: "745260813", sha16: "7a32eafeff3e64ea", firstRandom: 0.1276829656131001),
    ]

    @Test(arguments: vectors) func permutationVector(_ v: Vector) {
        var r = PythonRandom(seed: v.seed)
        #expect(r.random() == v.firstRandom)
        let q = v.n == 6 ? 40 : 57
        let draws = Permutations.referenceDraws(seed: v.seed, optionCount: v.n, questions: q, participants: 50)
        #expect(draws.count == v.used)
        let strings = draws.map { $0.map(String.init).joined() }
        #expect(Array(strings.prefix(3)) == v.first3)
        #expect(strings.last == v.last)
        let digest = SHA256Hasher.hash(data: Data(strings.joined(separator: ",").utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(digest.prefix(16) == v.sha16)
    }

    @Test func strideQuirkParticipantShiftsByOne() {
        let perms = Permutations.reference(seed: "leaderboard_no_conv", optionCount: 6, questions: 40, participants: 50)
        #expect(perms.count == 50 && perms.allSatisfy { $0.count == 40 })
        for p in 1..<50 { #expect(Array(perms[p].dropLast()) == Array(perms[p - 1].dropFirst())) }
        // Worked example of protocol.md §4: persona 0, item 1 has permutation 531024.
        #expect(perms[0][0] == [5, 3, 1, 0, 2, 4])
    }

    @Test func lexicographicUnranking() {
        // Property: ranks 0..<n! enumerate every permutation once, in increasing lexicographic order.
        for n in 1...6 {
            let all = (0..<Permutations.factorial(n)).map { Permutations.lexicographic(rank: $0, n: n) }
            #expect(Set(all).count == all.count)
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) })
            #expect(all.allSatisfy { $0.sorted() == Array(0..<n) })
        }
    }

    // Values printed by CPython 3.11: random.Random(0) etc.
    @Test func integerSeedsMatchCPython() {
        var r = PythonRandom(seed: 0)
        #expect(r.random() == 0.8444218515250481)
        var s = PythonRandom(seed: 0)
        #expect((0..<10).map { _ in s.randint(0, 5) } == [3, 3, 0, 2, 4, 3, 3, 2, 3, 2])
        #expect((0..<5).map { _ in s.randint(0, 8) } == [3, 8, 2, 4, 2])
        #expect(s.randint(0, 29) == 24)
        var big = PythonRandom(seed: 12_345_678_901_234)
        #expect(big.getrandbits(40) == 614_287_875_201)
        #expect(big.getrandbits(64) == 15_225_021_769_106_859_244)
        #expect(big.random() == 0.42619782335934575)
        var text = PythonRandom(seed: "abc")
        #expect(text.random() == 0.7720246314157545)
    }
}
