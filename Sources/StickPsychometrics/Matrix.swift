// A small dense matrix type for the psychometrics: row-major doubles, no IO.

/// A dense row-major matrix of doubles (personas × items, items × items, …).
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    public let rows: Int
    public let cols: Int
    /// Row-major storage: element (r, c) is at `r * cols + c`.
    public var storage: [Double]

    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        storage = Array(repeating: value, count: rows * cols)
    }

    public init(rows: Int, cols: Int, storage: [Double]) {
        precondition(storage.count == rows * cols, "storage has \(storage.count) elements, expected \(rows * cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// From nested rows; every row must have the same length.
    public init(_ nested: [[Double]]) {
        let cols = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == cols }, "ragged rows")
        self.init(rows: nested.count, cols: cols, storage: nested.flatMap { $0 })
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    @inline(__always)
    public subscript(r: Int, c: Int) -> Double {
        get { storage[r * cols + c] }
        set { storage[r * cols + c] = newValue }
    }

    public func row(_ r: Int) -> [Double] { Array(storage[(r * cols)..<((r + 1) * cols)]) }

    public func column(_ c: Int) -> [Double] { (0..<rows).map { storage[$0 * cols + c] } }

    /// The sub-matrix of the given rows (in order), all columns.
    public func selectingRows(_ indices: [Int]) -> Matrix {
        var out = [Double]()
        out.reserveCapacity(indices.count * cols)
        for r in indices { out.append(contentsOf: storage[(r * cols)..<((r + 1) * cols)]) }
        return Matrix(rows: indices.count, cols: cols, storage: out)
    }

    /// The sub-matrix of the given columns (in order), all rows.
    public func selectingColumns(_ indices: [Int]) -> Matrix {
        var out = [Double]()
        out.reserveCapacity(rows * indices.count)
        for r in 0..<rows {
            for c in indices { out.append(storage[r * cols + c]) }
        }
        return Matrix(rows: rows, cols: indices.count, storage: out)
    }

    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for r in 0..<rows {
            for c in 0..<cols { t.storage[c * rows + r] = storage[r * cols + c] }
        }
        return t
    }

    public var description: String {
        (0..<rows).map { row($0).map { "\($0)" }.joined(separator: " ") }.joined(separator: "\n")
    }
}
