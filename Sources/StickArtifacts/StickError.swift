// Errors that users see. Every input problem names the file and, where it has one, the line.
import Foundation

public struct StickError: Error, CustomStringConvertible, Equatable {
    public var file: String?
    public var line: Int?
    public var message: String

    public init(_ message: String, file: String? = nil, line: Int? = nil) {
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String {
        switch (file, line) {
        case let (f?, l?): return "\(f):\(l): \(message)"
        case let (f?, nil): return "\(f): \(message)"
        default: return message
        }
    }

    /// The same error located in `file` (and `line`), unless it already names a place.
    public func located(file: String, line: Int? = nil) -> StickError {
        if self.file != nil { return self }
        return StickError(message, file: file, line: line ?? self.line)
    }
}

extension StickError: LocalizedError {
    public var errorDescription: String? { description }
}

/// A readable one-line account of a `DecodingError` (the default text is a wall of context).
public func describeDecodingError(_ error: Error) -> String {
    guard let decoding = error as? DecodingError else {
        if let stick = error as? StickError { return stick.message }
        return "\(error)"
    }
    func path(_ keys: [CodingKey]) -> String {
        let p = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return p.isEmpty ? "the record" : String(p.drop(while: { $0 == "." }))
    }
    switch decoding {
    case .keyNotFound(let key, let ctx):
        return "missing field '\(key.stringValue)' in \(path(ctx.codingPath))"
    case .typeMismatch(let type, let ctx):
        return "'\(path(ctx.codingPath))' should be \(type): \(ctx.debugDescription)"
    case .valueNotFound(let type, let ctx):
        return "'\(path(ctx.codingPath))' is null, expected \(type)"
    case .dataCorrupted(let ctx):
        let underlying = (ctx.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
        return "not valid JSON at \(path(ctx.codingPath)): \(underlying ?? ctx.debugDescription)"
    @unknown default:
        return "\(error)"
    }
}
