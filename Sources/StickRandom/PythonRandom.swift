// Python's `random` module, bit for bit: MT19937 with CPython's seeding (strings hashed with SHA-512,
// version 2; integers by their 32-bit words), `random()`, `getrandbits`, `randint` and `choices`.
// The reference seeds its option permutations and its test fixtures this way.
import StickDigest

public struct PythonRandom: Sendable {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 625

    /// `random.seed(string)` (CPython's default version 2).
    public init(seed: String) {
        let bytes = Array(seed.utf8)
        let digest = sha512(bytes)
        self.init(bigEndianKey: bytes + digest)
    }

    /// `random.seed(int)` / `random.Random(int)`.
    public init(seed: UInt64) {
        var key: [UInt32] = []
        var v = seed
        repeat {
            key.append(UInt32(truncatingIfNeeded: v))
            v >>= 32
        } while v != 0
        initByArray(key)
    }

    /// Seeds from the big-endian unsigned integer `bytes`, split into 32-bit words, least significant first.
    private init(bigEndianKey bytes: [UInt8]) {
        var trimmed = ArraySlice(bytes)
        while let f = trimmed.first, f == 0 { trimmed = trimmed.dropFirst() }
        var words: [UInt32] = []
        var end = trimmed.endIndex
        while end > trimmed.startIndex {
            let start = max(trimmed.startIndex, end - 4)
            var w: UInt32 = 0
            for b in trimmed[start..<end] { w = (w << 8) | UInt32(b) }
            words.append(w)
            end = start
        }
        if words.isEmpty { words = [0] }
        initByArray(words)
    }

    private mutating func initGenrand(_ s: UInt32) {
        state[0] = s
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    private mutating func initByArray(_ key: [UInt32]) {
        initGenrand(19_650_218)
        var i = 1, j = 0
        for _ in 0..<max(624, key.count) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<623 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
        }
        state[0] = 0x8000_0000
        index = 624
    }

    private mutating func twist() {
        for k in 0..<624 {
            let y = (state[k] & 0x8000_0000) | (state[(k + 1) % 624] & 0x7FFF_FFFF)
            var v = state[(k + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { v ^= 0x9908_B0DF }
            state[k] = v
        }
        index = 0
    }

    /// One raw 32-bit output (`genrand_uint32`).
    public mutating func nextUInt32() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// `random.random()`: a 53-bit double in [0, 1).
    public mutating func random() -> Double {
        let a = Double(nextUInt32() >> 5), b = Double(nextUInt32() >> 6)
        return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// `random.getrandbits(k)` for 0 < k ≤ 64.
    public mutating func getrandbits(_ k: Int) -> UInt64 {
        precondition(k > 0 && k <= 64)
        if k <= 32 { return UInt64(nextUInt32() >> (32 - UInt32(k))) }
        // CPython fills 32-bit words least significant first; the last word keeps its top bits.
        let low = UInt64(nextUInt32())
        let high = UInt64(nextUInt32() >> (64 - UInt32(k)))
        return low | (high << 32)
    }

    /// `random._randbelow(n)`: rejection sampling on `n.bit_length()` bits.
    public mutating func randbelow(_ n: Int) -> Int {
        precondition(n > 0)
        let k = Int.bitWidth - n.leadingZeroBitCount
        while true {
            let r = getrandbits(k)
            if r < UInt64(n) { return Int(r) }
        }
    }

    /// `random.randint(a, b)`, both ends included.
    public mutating func randint(_ a: Int, _ b: Int) -> Int { a + randbelow(b - a + 1) }

    /// The index `random.choices(population)` picks from a population of `n`: `floor(random() * n)`.
    public mutating func choiceIndex(_ n: Int) -> Int { Int((random() * Double(n)).rounded(.down)) }
}
