// The reference's option permutations (`create_permutation_dicts`), reproduced exactly, including the
// `draws[p:p+Q]` stride bug: participant p, item q gets draw p + q.

public enum Permutations {
    /// The `rank`-th permutation of 0..<n in lexicographic order (factorial number system), which is
    /// `list(itertools.permutations(range(n)))[rank]` without building the list.
    public static func lexicographic(rank: Int, n: Int) -> [Int] {
        var remaining = Array(0..<n)
        var r = rank
        var result: [Int] = []
        result.reserveCapacity(n)
        var f = factorial(n)
        for k in stride(from: n, to: 0, by: -1) {
            f /= k
            let i = r / f
            r %= f
            result.append(remaining.remove(at: i))
        }
        return result
    }

    public static func factorial(_ n: Int) -> Int { n <= 1 ? 1 : (2...n).reduce(1, *) }

    /// The draws the reference actually uses: `random.choices(all_perms, k=Q*N)` after
    /// `random.seed(seed)`, of which only the first Q + N − 1 are ever read.
    public static func referenceDraws(seed: String, optionCount n: Int, questions q: Int, participants p: Int) -> [[Int]] {
        precondition(n >= 1 && n <= 9, "the reference supports 1 to 9 options (n > 9 raises there)")
        var rng = PythonRandom(seed: seed)
        let total = factorial(n)
        let used = q + p - 1
        return (0..<used).map { _ in lexicographic(rank: rng.choiceIndex(total), n: n) }
    }

    /// Per participant, per item: the permutation mapping letter position j to original option index.
    public static func reference(seed: String, optionCount n: Int, questions q: Int, participants p: Int) -> [[[Int]]] {
        let draws = referenceDraws(seed: seed, optionCount: n, questions: q, participants: p)
        return (0..<p).map { participant in (0..<q).map { item in draws[participant + item] } }
    }
}
