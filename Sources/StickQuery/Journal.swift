// The query journal (`OUTPUT.partial`): records are appended as calls finish, in completion order.
// Its index keeps, for every call of the run, where the call's latest record lies: one fixed 16-byte
// slot per call, allocated once (slot = first call of the session + step), so memory does not grow
// while the run goes on and the final artifact is written in (session, step) order by walking the
// slots, without sorting and without parsing the journal again. Replayed records are read back from
// the journal one session at a time, when that session starts.
import Foundation
import StickArtifacts

/// Where each call's latest record lies in the journal.
struct JournalIndex: Sendable {
    struct Slot: Sendable {
        var offset: UInt64 = 0
        var length: UInt32 = 0
        /// 0: no record, 1: the call failed, 2: it succeeded.
        var state: UInt8 = 0
    }

    /// Slot of step 0 of each session (by ordinal in the sessions file), and one past the last.
    private let base: [Int]
    private(set) var slots: [Slot]
    private(set) var promptTokens = 0
    private(set) var completionTokens = 0

    init(calls: [Int]) {
        var base = [0]
        base.reserveCapacity(calls.count + 1)
        for c in calls { base.append(base[base.count - 1] + c) }
        self.base = base
        slots = [Slot](repeating: Slot(), count: base[base.count - 1])
    }

    /// The slots of one session, in step order.
    func range(of ordinal: Int) -> Range<Int> { base[ordinal]..<base[ordinal + 1] }

    func calls(of ordinal: Int) -> Int { base[ordinal + 1] - base[ordinal] }

    /// Notes a record; a success is never replaced by a later record of the same call (successes are
    /// not re-sent). The caller has checked that `step` lies within the session.
    mutating func note(ordinal: Int, step: Int, ok: Bool, usage: TokenUsage?, offset: UInt64, length: Int) throws {
        guard length <= Int(UInt32.max) else { throw StickError("a journal record longer than 4 GiB") }
        let position = base[ordinal] + step
        if slots[position].state == 2 { return }
        slots[position] = Slot(offset: offset, length: UInt32(length), state: ok ? 2 : 1)
        if ok {
            promptTokens += usage?.promptTokens ?? 0
            completionTokens += usage?.completionTokens ?? 0
        }
    }

    var succeeded: Int { slots.reduce(0) { $0 + ($1.state == 2 ? 1 : 0) } }
    var failed: Int { slots.reduce(0) { $0 + ($1.state == 1 ? 1 : 0) } }
    func succeeded(in ordinal: Int) -> Int { slots[range(of: ordinal)].reduce(0) { $0 + ($1.state == 2 ? 1 : 0) } }
}

/// Appends records to the journal; one `write` per record, so a kill leaves at most a torn last line.
actor Journal {
    private let handle: FileHandle
    private var offset: UInt64
    private(set) var index: JournalIndex
    /// Session id → its ordinal in the sessions file.
    private let order: [String: Int]

    /// For messages.
    private let path: String

    init(handle: FileHandle, path: String, offset: UInt64, index: JournalIndex, order: [String: Int]) {
        self.handle = handle
        self.path = path
        self.offset = offset
        self.index = index
        self.order = order
    }

    func append(_ record: ResponseRecord) throws {
        var data = record.jsonLine()
        data.append(0x0A)
        try data.withUnsafeBytes { try FileDescriptorIO.writeAll(handle.fileDescriptor, $0, name: path) }
        try index.note(ordinal: order[record.session]!, step: record.step, ok: record.error == nil, usage: record.usage,
                       offset: offset, length: data.count - 1)
        offset += UInt64(data.count)
    }

    func close() throws { try handle.close() }
}

extension QueryRunner {
    /// Reads a journal left by an earlier run: checks it belongs to these inputs, cuts a torn last line,
    /// and returns where each call's latest record lies. Only the index is kept: one line at a time.
    static func readJournal(_ path: String, expecting header: ArtifactHeader, order: [String: Int],
                            index: inout JournalIndex) throws {
        // A kill can leave a partial last line: drop it (that call is sent again).
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        var end = size
        while end > 0 {
            try handle.seek(toOffset: end - 1)
            if try handle.read(upToCount: 1) == Data([0x0A]) { break }
            end -= 1
        }
        if end < size { try handle.truncate(atOffset: end) }
        try handle.close()

        let lines = try LineReader(path: path)
        defer { lines.close() }
        guard let first = try lines.next(), let existing = try? JSONDecoder().decode(ArtifactHeader.self, from: Data(first)) else {
            throw StickError("is not a responses journal", file: path, line: 1)
        }
        try existing.require(.responses, file: path)
        guard existing.inputs.map(\.sha256) == header.inputs.map(\.sha256), existing.params == header.params else {
            throw StickError("holds responses of other sessions, another model config or other options; "
                + "use --force to start over or another output name", file: path, line: 1)
        }
        /// What the index needs of a record (the rest of the line is skipped by the decoder).
        struct Sketch: Decodable {
            var session: String
            var step: Int
            var error: String?
            var usage: TokenUsage?
        }
        var offset = UInt64(first.count + 1)
        let decoder = JSONDecoder()
        while let line = try lines.next() {
            defer { offset += UInt64(line.count + 1) }
            let record: Sketch
            do { record = try decoder.decode(Sketch.self, from: Data(line)) } catch {
                throw StickError(describeDecodingError(error), file: path, line: lines.lineNumber)
            }
            guard let ordinal = order[record.session] else {
                throw StickError("holds session '\(record.session)', which is not in the sessions", file: path,
                                 line: lines.lineNumber)
            }
            let calls = index.calls(of: ordinal)
            guard record.step >= 0, record.step < calls else {
                throw StickError("step \(record.step) of session '\(record.session)' is out of range (it has "
                    + "\(calls) calls)", file: path, line: lines.lineNumber)
            }
            try index.note(ordinal: ordinal, step: record.step, ok: record.error == nil, usage: record.usage,
                           offset: offset, length: line.count)
        }
    }

    /// The successful records of one session, read back from the journal (requests dropped: only their
    /// hashes are needed to check a replay).
    static func replayed(_ ordinal: Int, index: JournalIndex, journal: FileHandle, path: String) throws -> [Int: ResponseRecord] {
        var done: [Int: ResponseRecord] = [:]
        let decoder = JSONDecoder()
        let range = index.range(of: ordinal)
        for position in range where index.slots[position].state == 2 {
            let slot = index.slots[position]
            try journal.seek(toOffset: slot.offset)
            let data = try journal.read(upToCount: Int(slot.length)) ?? Data()
            var record: ResponseRecord
            do { record = try decoder.decode(ResponseRecord.self, from: data) } catch {
                throw StickError("at byte \(slot.offset): \(describeDecodingError(error))", file: path)
            }
            record.request = nil
            done[position - range.lowerBound] = record
        }
        return done
    }

    /// Writes the artifact: the header, then every call's record in (session, step) order.
    static func writeOrdered(journalPath: String, index: JournalIndex, header: ArtifactHeader, output: String) throws {
        guard let handle = FileHandle(forReadingAtPath: journalPath) else { throw StickError("cannot read", file: journalPath) }
        defer { try? handle.close() }
        try withOutput(output) { out in
            try out.write(try StickJSON.headerLine(header))
            for slot in index.slots {
                try handle.seek(toOffset: slot.offset)
                var data = try handle.read(upToCount: Int(slot.length)) ?? Data()
                data.append(0x0A)
                try out.write(data)
            }
        }
    }
}
