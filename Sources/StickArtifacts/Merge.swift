// Merging shards: `gen-prompts --shard K/N` splits a run round-robin (session j of the whole run goes
// to shard j % N + 1); every later stage keeps the shard in its header (`params.shard`), so sessions,
// responses and answers of shards can be put back together into the artifact the unsharded run writes.
//
// Order: the i-th session of a file holding shards S = {K1 < K2 < …} of N is session
// (i / |S|) · N + S[i % |S|] − 1 of the whole run (only the last round can be short, and it lacks the
// highest shards). Records are keyed by (that ordinal, step or item); each input is in key order (every
// stage writes it so, and the merge checks it), and the output is a k-way merge of the inputs: a linear
// scan of the k heads per record, one line per input in memory.
// Memory: one line per input, plus the ids of the sessions seen (a few dozen bytes per session, not per
// record) to refuse a session that two inputs both hold.
// Provenance: kind, version and params must agree, except `shard` (merged), and for answers the
// per-context persona counts (`contexts`, summed) and the token usage (`usage`, summed); header inputs
// that do not name the file itself (dataset, design, model config) must agree. Summaries are summed.
// The output's header lists every merged file (role `merged`, with its sha256).
import Foundation

/// Shards in headers: `K/N`, or `K1,K2,…/N` for a partial merge; no `shard` means the whole run (1/1).
public struct ShardSet: Equatable, Sendable {
    /// 1-based, ascending, distinct.
    public var members: [Int]
    public var count: Int

    public init(members: [Int], count: Int) {
        self.members = members
        self.count = count
    }

    public static let whole = ShardSet(members: [1], count: 1)

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int(parts[1]), n >= 1, n <= 1 << 20 else { return nil }
        let ks = parts[0].split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        guard !ks.isEmpty, ks.allSatisfy({ $0 != nil && $0! >= 1 && $0! <= n }) else { return nil }
        let members = ks.map { $0! }
        guard zip(members, members.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        self.init(members: members, count: n)
    }

    /// The header value: nil for the whole run.
    public var json: JSONValue? {
        members.count == count ? nil : .string(members.map(String.init).joined(separator: ",") + "/\(count)")
    }

    public var description: String { json?.stringValue ?? "the whole run" }

    /// The ordinal in the whole run of the i-th session of a file holding these shards.
    public func ordinal(_ i: Int) -> Int { (i / members.count) * count + members[i % members.count] - 1 }
}

public enum ShardedRun {
    /// What identifies the run a sessions file belongs to, whatever its shard: its header's params
    /// without `shard`, and the sha256 of each of its inputs (dataset, design) as `ROLE_sha256`.
    /// `query` and `parse` copy it into their headers as `params.sessions_source`.
    public static func source(of sessions: ArtifactHeader) -> JSONObject {
        var source = sessions.params
        source["shard"] = nil
        for input in sessions.inputs where !ArtifactMerge.perFileRoles.contains(input.role) {
            source[input.role + "_sha256"] = .string(input.sha256)
        }
        return source
    }
}

public enum ArtifactMerge {
    public struct Summary: Sendable {
        public var kind: ArtifactKind
        public var records: Int
        public var sessions: Int
        public var shards: ShardSet
    }

    /// Header inputs that name the merged file itself (they differ from shard to shard).
    static let perFileRoles: Set<String> = ["sessions", "responses", "merged"]

    /// Merges `inputs` (files, `-` at most once, or ARCHIVE#member) into `output` (`-` for stdout).
    /// Nothing is written unless every input is read to its end without a problem: the output goes to
    /// a temporary file that is renamed into place (for stdout, copied at the end). `expected` makes an
    /// input of another kind an error.
    @discardableResult
    public static func merge(_ inputs: [String], output: String, expected: ArtifactKind? = nil) throws -> Summary {
        guard !inputs.isEmpty else { throw StickError("nothing to merge: give the files to merge") }
        guard inputs.filter({ $0 == "-" }).count <= 1 else { throw StickError("stdin (-) can be merged once only") }
        var spools: [String] = []
        defer { spools.forEach { try? FileManager.default.removeItem(atPath: $0) } }
        var cursors: [Cursor] = []
        defer { cursors.forEach { $0.close() } }
        for name in inputs {
            var path = name
            let sha: String
            if name == "-" || Inputs.splitMemberSpec(name) != nil {
                path = NSTemporaryDirectory() + ".stick-merge-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
                spools.append(path)
                sha = try Inputs.spool(name, to: path).sha256
            } else {
                sha = try SHA256Hex.ofFile(name).sha256
            }
            cursors.append(try Cursor(name: name, path: path, sha256: sha, expected: expected))
        }
        let plan = try Plan(cursors)
        let lock = output == "-" ? nil : try OutputLock(output + ".lock", protecting: output)
        defer { lock?.release() }
        if output == "-" {
            // Staged in full first: a problem in the last record must not leave half an artifact on stdout.
            let staged = NSTemporaryDirectory() + ".stick-merge-out-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).jsonl"
            spools.append(staged)
            let summary = try withOutput(staged, codec: Codec.none) { try write(plan, cursors: cursors, to: $0) }
            try withOutput("-") { out in
                let source = try Inputs.open(staged)
                defer { source.close() }
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0.baseAddress!, count: $0.count) }
                    if n == 0 { break }
                    try buffer.withUnsafeBytes { try out.write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                }
            }
            return summary
        }
        return try withOutput(output) { try write(plan, cursors: cursors, to: $0) }
    }

    /// The k-way merge: the header, then the smallest head of all inputs until every input is empty.
    static func write(_ plan: Plan, cursors: [Cursor], to out: OutputFile) throws -> Summary {
        try out.write(try StickJSON.headerLine(plan.header))
        var seenSessions = Set<String>()
        var seenPersonas = Set<String>()
        var records = 0
        for cursor in cursors { try cursor.advance(seenSessions: &seenSessions, seenPersonas: &seenPersonas) }
        while true {
            var best: Cursor?
            for cursor in cursors {
                guard let key = cursor.head?.key else { continue }
                if let b = best, b.head!.key <= key {
                    if b.head!.key == key {
                        throw StickError("holds the same record as \(b.name) (\(cursor.head!.what))", file: cursor.name,
                                         line: cursor.lineNumber)
                    }
                    continue
                }
                best = cursor
            }
            guard let chosen = best, let head = chosen.head else { break }
            try out.write(head.line)
            records += 1
            try chosen.advance(seenSessions: &seenSessions, seenPersonas: &seenPersonas)
        }
        return Summary(kind: plan.kind, records: records, sessions: seenSessions.count, shards: plan.shards)
    }

    /// One input: its header, and its next record (decoded, checked and encoded again canonically).
    final class Cursor {
        struct Head {
            var key: Key
            var line: Data
            /// "session X step 3", for messages.
            var what: String
        }

        struct Key: Comparable {
            var ordinal: Int
            var sub: Int
            static func < (a: Key, b: Key) -> Bool { (a.ordinal, a.sub) < (b.ordinal, b.sub) }
        }

        let name: String
        let sha256: String
        let header: ArtifactHeader
        let kind: ArtifactKind
        var shards = ShardSet.whole
        /// Answers: the context of each of the file's sessions, from the header (persona counts in order).
        var contextPlan: [(name: String, sessions: Int)] = []
        private let lines: LineReader
        private let decoder = JSONDecoder()
        private let encoder = StickJSON.encoder()
        private(set) var head: Head?
        private var session: (id: String, context: String, persona: Int)?
        /// Contexts this file has left: sessions come context by context, personas ascending.
        private var contextsLeft = Set<String>()
        /// Sessions of this file begun so far.
        private var sessionsSeen = 0
        var lineNumber: Int { lines.lineNumber }

        init(name: String, path: String, sha256: String, expected: ArtifactKind?) throws {
            self.name = name
            self.sha256 = sha256
            lines = try LineReader(try Inputs.open(path), name: name)
            guard let first = try lines.next() else {
                lines.close()
                throw StickError("empty input: expected a sessions, responses or answers header line", file: name, line: 1)
            }
            do { header = try JSONDecoder().decode(ArtifactHeader.self, from: Data(first)) } catch {
                lines.close()
                throw StickError("the first line is not a stick artifact header: " + describeDecodingError(error), file: name, line: 1)
            }
            guard let kind = ArtifactKind(rawValue: header.stick), [.sessions, .responses, .answers].contains(kind) else {
                lines.close()
                throw StickError("'\(header.stick)' artifacts cannot be merged (sessions, responses and answers can)", file: name, line: 1)
            }
            self.kind = kind
            do {
                try (expected ?? kind).require(found: header.stick, version: header.version, file: name, line: 1)
                if let value = header.params["shard"] {
                    guard let text = value.stringValue, let set = ShardSet(text) else {
                        throw StickError("params.shard is \(value.serialized()), not K/N", file: name, line: 1)
                    }
                    shards = set
                }
                if kind == .answers {
                    guard case .array(let described)? = header.params["contexts"] else {
                        throw StickError("the answers header has no 'contexts' description: run parse again", file: name, line: 1)
                    }
                    for value in described {
                        guard let c = AnswersContext(json: value), c.personas >= 0 else {
                            throw StickError("the answers header's description of a context is incomplete: \(value.serialized())",
                                             file: name, line: 1)
                        }
                        contextPlan.append((c.name, c.personas))
                    }
                }
            } catch {
                lines.close()
                throw error
            }
        }

        func close() { lines.close() }

        /// Reads the next record into `head` (nil at the end), checking it against the file's order.
        func advance(seenSessions: inout Set<String>, seenPersonas: inout Set<String>) throws {
            let previous = head?.key
            guard let raw = try lines.nextNonBlank() else {
                head = nil
                try checkEnd()
                return
            }
            let line = lines.lineNumber
            var id: String, context: String, persona: Int, sub: Int, what: String
            var data: Data
            do {
                switch kind {
                case .sessions:
                    let r = try decoder.decode(SessionRecord.self, from: Data(raw))
                    if let problem = r.inconsistency() { throw StickError("session '\(r.id)' \(problem)", file: name, line: line) }
                    (id, context, persona, sub, what) = (r.id, r.context, r.personaIndex, 0, "session '\(r.id)'")
                    data = try encoder.encode(r)
                case .responses:
                    let r = try decoder.decode(ResponseRecord.self, from: Data(raw))
                    guard r.step >= 0, r.step <= SessionRecord.maxCalls else {
                        throw StickError("step \(r.step) is out of range", file: name, line: line)
                    }
                    (id, context, persona, sub, what) = (r.session, r.context, r.personaIndex, r.step,
                                                         "session '\(r.session)' step \(r.step)")
                    data = Data(r.jsonLine())
                default:
                    let r = try decoder.decode(AnswerRecord.self, from: Data(raw))
                    guard r.item >= 0, r.item <= SessionRecord.maxCalls else {
                        throw StickError("item \(r.item) is out of range", file: name, line: line)
                    }
                    (id, context, persona, sub, what) = (r.session, r.context, r.personaIndex, r.item,
                                                         "context '\(r.context)' persona \(r.personaIndex) item \(r.item)")
                    data = try encoder.encode(r)
                }
            } catch let error as StickError {
                throw error.located(file: name, line: line)
            } catch {
                throw StickError(describeDecodingError(error), file: name, line: line)
            }
            data.append(0x0A)
            if session?.id != id || kind == .sessions {
                // A new session: it must be new to every input, and say the same context and persona throughout.
                guard seenSessions.insert(id).inserted else {
                    throw StickError("session '\(id)' appears twice (in this file or in another input)", file: name, line: line)
                }
                guard seenPersonas.insert(context + "\u{0}" + String(persona)).inserted else {
                    throw StickError("context '\(context)' persona \(persona) appears twice (in this file or in another input)",
                                     file: name, line: line)
                }
                if kind == .answers { try checkContext(context, at: sessionsSeen, line: line) }
                if let last = session {
                    if last.context != context {
                        contextsLeft.insert(last.context)
                        guard !contextsLeft.contains(context) else {
                            throw StickError("session '\(id)' is out of order: context '\(context)' came before '\(last.context)' "
                                + "already; records must be in the order the stages write them", file: name, line: line)
                        }
                    } else if persona <= last.persona {
                        throw StickError("session '\(id)' is out of order: persona \(persona) of context '\(context)' after persona "
                            + "\(last.persona); records must be in the order the stages write them", file: name, line: line)
                    }
                }
                session = (id, context, persona)
                sessionsSeen += 1
            } else if session?.context != context || session?.persona != persona {
                throw StickError("session '\(id)' changes its context or persona", file: name, line: line)
            }
            let key = Key(ordinal: shards.ordinal(sessionsSeen - 1), sub: sub)
            if let previous, key <= previous {
                throw StickError("\(what) is out of order: records must be in the order the stages write them "
                    + "(sessions in file order; steps, items ascending within a session)", file: name, line: line)
            }
            head = Head(key: key, line: data, what: what)
        }

        /// Answers: the i-th session must belong to the context the header's persona counts place there.
        private func checkContext(_ context: String, at i: Int, line: Int) throws {
            var start = 0
            for c in contextPlan {
                if i < start + c.sessions {
                    guard c.name == context else {
                        throw StickError("holds context '\(context)' where its header's contexts (with their persona counts) "
                            + "put '\(c.name)'", file: name, line: line)
                    }
                    return
                }
                start += c.sessions
            }
            throw StickError("holds more sessions than its header's contexts count (\(start))", file: name, line: line)
        }

        private func checkEnd() throws {
            guard kind == .answers else { return }
            let described = contextPlan.reduce(0) { $0 + $1.sessions }
            guard sessionsSeen == described else {
                throw StickError("holds \(sessionsSeen) sessions; its header's contexts count \(described)", file: name)
            }
        }
    }

    /// The merged header, and the checks that the inputs belong together.
    struct Plan {
        let kind: ArtifactKind
        let header: ArtifactHeader
        let shards: ShardSet

        /// Params merged rather than compared.
        static func mergedParams(_ kind: ArtifactKind) -> Set<String> {
            kind == .answers ? ["shard", "contexts", "usage"] : ["shard"]
        }

        init(_ cursors: [Cursor]) throws {
            let first = cursors[0]
            kind = first.kind
            let skip = Self.mergedParams(kind)
            var members: [Int] = []
            for other in cursors.dropFirst() {
                guard other.kind == first.kind else {
                    throw StickError("\(first.name) is a '\(first.kind.rawValue)' artifact, \(other.name) a '\(other.kind.rawValue)' "
                        + "artifact: merge artifacts of one kind", file: other.name, line: 1)
                }
                guard other.header.version == first.header.version else {
                    throw StickError("\(first.name) and \(other.name) differ in field 'version' (\(first.header.version) vs "
                        + "\(other.header.version))", file: other.name, line: 1)
                }
                let keys = Set(first.header.params.keys).union(other.header.params.keys).subtracting(skip).sorted()
                for key in keys where first.header.params[key] != other.header.params[key] {
                    throw StickError("\(first.name) and \(other.name) differ in field 'params.\(key)' ("
                        + Self.show(first.header.params[key]) + " vs " + Self.show(other.header.params[key])
                        + "): they are not shards of one run", file: other.name, line: 1)
                }
                guard other.shards.count == first.shards.count else {
                    throw StickError("\(first.name) and \(other.name) differ in field 'params.shard' (\(first.shards.description) vs "
                        + "\(other.shards.description)): shards of different splits", file: other.name, line: 1)
                }
                let fixedA = first.header.inputs.filter { !ArtifactMerge.perFileRoles.contains($0.role) }
                let fixedB = other.header.inputs.filter { !ArtifactMerge.perFileRoles.contains($0.role) }
                for role in Set(fixedA.map(\.role)).union(fixedB.map(\.role)).sorted() {
                    let a = fixedA.filter { $0.role == role }.map(\.sha256), b = fixedB.filter { $0.role == role }.map(\.sha256)
                    guard a == b else {
                        throw StickError("\(first.name) and \(other.name) differ in field 'inputs.\(role).sha256' (\(a.joined(separator: ",")) "
                            + "vs \(b.joined(separator: ","))): they were made from different inputs", file: other.name, line: 1)
                    }
                }
            }
            for cursor in cursors {
                for k in cursor.shards.members {
                    if members.contains(k) {
                        let holder = cursors.first { $0 !== cursor && $0.shards.members.contains(k) }!
                        throw StickError("\(holder.name) and \(cursor.name) both hold shard \(k)/\(cursor.shards.count) "
                            + "(field 'params.shard'): each shard may be merged once", file: cursor.name, line: 1)
                    }
                    members.append(k)
                }
            }
            shards = ShardSet(members: members.sorted(), count: first.shards.count)

            var params = JSONObject()
            for (key, value) in first.header.params.pairs where !skip.contains(key) { params[key] = value }
            if let shard = shards.json { params["shard"] = shard }
            if kind == .answers {
                params["contexts"] = try Self.mergedContexts(cursors)
                let usages = cursors.compactMap { c -> JSONObject? in
                    if case .object(let u)? = c.header.params["usage"] { return u }
                    return nil
                }
                if usages.count == cursors.count {
                    params["usage"] = .object(try usages.dropFirst().reduce(usages[0]) { try Self.sum($0, $1, field: "params.usage") })
                } else if !usages.isEmpty {
                    throw StickError("some inputs carry token usage (params.usage) and others do not", file: cursors[0].name, line: 1)
                }
            }
            var inputs = first.header.inputs.filter { !ArtifactMerge.perFileRoles.contains($0.role) }
            inputs += cursors.map { InputProvenance(role: "merged", name: $0.name, sha256: $0.sha256) }
            let summaries = cursors.compactMap(\.header.summary)
            var summary: JSONObject?
            if summaries.count == cursors.count {
                summary = try summaries.dropFirst().reduce(summaries[0]) { try Self.sum($0, $1, field: "summary") }
            }
            header = ArtifactHeader(kind: kind, params: params, inputs: inputs, summary: summary)
        }

        static func show(_ value: JSONValue?) -> String { value.map { $0.serialized() } ?? "absent" }

        /// Numbers add up, objects member by member; anything else must be equal.
        static func sum(_ a: JSONObject, _ b: JSONObject, field: String) throws -> JSONObject {
            var out = a
            for (key, value) in b.pairs {
                guard let existing = a[key] else { out[key] = value; continue }
                switch (existing, value) {
                case (.number(let x), .number(let y)): out[key] = .number(x + y)
                case (.object(let x), .object(let y)): out[key] = .object(try sum(x, y, field: field + "." + key))
                default:
                    guard existing == value else {
                        throw StickError("the inputs differ in field '\(field).\(key)' (\(existing.serialized()) vs \(value.serialized()))")
                    }
                }
            }
            return out
        }

        /// Answers: each context once, in the order of the whole run (where its first session falls),
        /// its persona count summed; instrument, items and value keys must agree.
        static func mergedContexts(_ cursors: [Cursor]) throws -> JSONValue {
            var merged: [(first: Int, context: AnswersContext, from: String)] = []
            for cursor in cursors {
                guard case .array(let described)? = cursor.header.params["contexts"] else { continue }
                var start = 0
                for value in described {
                    let c = AnswersContext(json: value)!
                    defer { start += c.personas }
                    guard c.personas > 0 else { continue }
                    let first = cursor.shards.ordinal(start)
                    if let i = merged.firstIndex(where: { $0.context.name == c.name }) {
                        var other = merged[i].context
                        other.personas = c.personas
                        guard other == c else {
                            throw StickError("\(merged[i].from) and \(cursor.name) differ in field 'params.contexts' for context "
                                + "'\(c.name)' (instrument, items or value keys)", file: cursor.name, line: 1)
                        }
                        merged[i].context.personas += c.personas
                        merged[i].first = min(merged[i].first, first)
                    } else {
                        merged.append((first, c, cursor.name))
                    }
                }
            }
            return .array(merged.sorted { $0.first < $1.first }.map(\.context.json))
        }
    }
}
