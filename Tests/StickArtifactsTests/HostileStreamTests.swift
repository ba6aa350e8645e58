// Streams written by an attacker (issue: hardening): lines without end, decompression bombs, inputs
// that never end (devices), huge and non-finite numbers, and record numbers that used to crash `query`
// and `parse`. Every reader must end with a clear file:line error or a valid result.
import Foundation
import StickArtifacts
import StickDataset
import StickGenPrompts
import StickPsychometrics
import StickRandom
import StickTestSupport
import Testing

/// Yields `data` in chunks of pseudo-random sizes (a seeded generator), like a pipe or a decompressor.
final class ChunkedSource: ByteSource {
    private let data: [UInt8]
    private var offset = 0
    private var state: UInt64
    private let maxChunk: Int

    init(_ data: [UInt8], seed: UInt64, maxChunk: Int) {
        self.data = data
        state = seed
        self.maxChunk = maxChunk
    }

    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let want = min(count, Int(state >> 33) % maxChunk + 1, data.count - offset)
        guard want > 0 else { return 0 }
        data.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + offset, byteCount: want) }
        offset += want
        return want
    }

    func close() {}
}

@Suite struct HostileStreamTests {
    @Test("LineReader splits any input exactly as a plain split does, whatever the chunk sizes", arguments: 0..<40)
    func lineReaderProperty(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed))
        // Lines of mixed lengths (some longer than the reader's initial 64 KiB buffer), some with \r.
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0...30, using: &rng) {
            let length = Int.random(in: 0...3, using: &rng) == 0 ? Int.random(in: 60_000...200_000, using: &rng) : Int.random(in: 0...80, using: &rng)
            bytes += (0..<length).map { _ in UInt8.random(in: 0x20...0x7E, using: &rng) }
            if Bool.random(using: &rng) { bytes.append(0x0D) }
            bytes.append(0x0A)
        }
        if Bool.random(using: &rng) { bytes += Array("tail without newline".utf8) }
        var expected = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> [UInt8] in
            line.last == 0x0D ? Array(line.dropLast()) : Array(line)
        }
        if bytes.last == 0x0A || bytes.isEmpty { expected.removeLast() }

        let maxChunk = Int.random(in: 1...100_000, using: &rng)
        let reader = LineReader(ChunkedSource(bytes, seed: UInt64(seed), maxChunk: maxChunk), name: "x")
        var got: [[UInt8]] = []
        while let line = try reader.next() { got.append(Array(line)) }
        #expect(got == expected)
        #expect(reader.lineNumber == expected.count)

        // nextNonBlank: the same lines without the blank ones (spaces and tabs only), with their numbers.
        var blanky = bytes
        for _ in 0..<Int.random(in: 0...20, using: &rng) {
            let blank: [UInt8] = [[0x0A], [0x20, 0x0A], [0x09, 0x0D, 0x0A], [0x0D, 0x0A]][Int.random(in: 0...3, using: &rng)]
            let newlines = blanky.indices.filter { blanky[$0] == 0x0A }
            blanky.insert(contentsOf: blank, at: (newlines.randomElement(using: &rng) ?? -1) + 1)
        }
        var all: [[UInt8]] = []
        let plain = LineReader(ChunkedSource(blanky, seed: UInt64(seed), maxChunk: maxChunk), name: "x")
        while let line = try plain.next() { all.append(Array(line)) }
        let wanted = all.enumerated().filter { !$0.element.allSatisfy { $0 == 0x20 || $0 == 0x09 } }.map { ($0.offset + 1, $0.element) }
        let skipping = LineReader(ChunkedSource(blanky, seed: UInt64(seed) + 1, maxChunk: maxChunk), name: "x")
        var nonBlank: [(Int, [UInt8])] = []
        while let line = try skipping.nextNonBlank() { nonBlank.append((skipping.lineNumber, Array(line))) }
        #expect(nonBlank.map(\.0) == wanted.map(\.0))
        #expect(nonBlank.map(\.1) == wanted.map(\.1))
        #expect(skipping.lineNumber == all.count)
    }

    @Test("a line over the limit is an error naming the file, the line and how to raise the limit")
    func lineLimit() throws {
        let ok = [UInt8](repeating: 0x61, count: 1000)
        let data = ok + [0x0A] + ok + [0x0A] + ok + [0x61, 0x0A]
        let reader = LineReader(ChunkedSource(data, seed: 1, maxChunk: 300), name: "in.jsonl", maxLineBytes: 1000)
        #expect(try reader.next()?.count == 1000)
        #expect(try reader.next()?.count == 1000)
        let error = #expect(throws: StickError.self) { try reader.next() }
        #expect(error?.description == "in.jsonl:3: line longer than 1000 bytes (1000 bytes); raise the limit with "
            + "--max-line-bytes or STICK_MAX_LINE_BYTES if the input is genuine")
        // A line without any newline (an endless stream) ends the same way.
        let endless = LineReader(ChunkedSource([UInt8](repeating: 0, count: 5000), seed: 2, maxChunk: 4096), name: "z", maxLineBytes: 1024)
        #expect(throws: StickError.self) { try endless.next() }
    }

    @Test("decompression bombs end quickly with the line limit: zeros in zstd, through validate and parse")
    func zeroBomb() throws {
        let scratch = try ScratchDirectory()
        let bomb = scratch.file("zeros.jsonl.zst")
        try shell("head -c 1073741824 /dev/zero | zstd -q -1 > '\(bomb)'")
        #expect((try FileManager.default.attributesOfItem(atPath: bomb)[.size] as? Int ?? .max) < 1 << 20)

        let validate = try runTool("stick", ["validate", bomb])
        #expect(validate.status == 1)
        #expect(validate.stderr.contains("\(bomb):1: line longer than 268435456 bytes (256 MiB)"), "\(validate.stderr)")

        let limited = try runTool("stick", ["validate", bomb, "--max-line-bytes", "1M"])
        #expect(limited.stderr.contains("\(bomb):1: line longer than 1048576 bytes (1 MiB)"), "\(limited.stderr)")
        let fromEnvironment = try runTool("stick", ["validate", bomb], environment: ["STICK_MAX_LINE_BYTES": "2M"])
        #expect(fromEnvironment.stderr.contains("line longer than 2097152 bytes"), "\(fromEnvironment.stderr)")

        let sessions = scratch.file("s.jsonl")
        let gen = try runTool("gen-prompts", ["demo", "--contexts", "no_conv", "--personas", "0", "-q", "-o", sessions])
        try #require(gen.status == 0)
        let parse = try runTool("parse", ["--sessions", sessions, bomb, "-o", scratch.file("a.jsonl"), "--max-line-bytes", "1M"])
        #expect(parse.status == 1)
        #expect(parse.stderr.contains("\(bomb):1: line longer than 1048576 bytes"), "\(parse.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("a.jsonl")))
    }

    @Test("a stream of newlines is not held in memory: refused as a document, skipped as blank records")
    func newlineBomb() throws {
        let scratch = try ScratchDirectory()
        let bomb = scratch.file("newlines.zst")
        try shell("head -c 300000000 /dev/zero | tr '\\0' '\\n' | zstd -q -1 > '\(bomb)'")
        let r = try runTool("stick", ["validate", bomb])
        #expect(r.status == 1)
        #expect(r.stdoutText.contains("document larger than 268435456 bytes"), "\(r.stdoutText) \(r.stderr)")

        // After a valid header, blank lines are skipped one at a time.
        let padded = scratch.file("padded.jsonl.zst")
        try shell("(printf '%s\\n' '{\"stick\":\"openers\",\"version\":1,\"tool\":\"t\",\"params\":{},\"inputs\":[]}'; "
            + "head -c 10000000 /dev/zero | tr '\\0' '\\n'; printf '%s\\n' '{\"text\":\"hello\"}') | zstd -q -1 > '\(padded)'")
        let ok = try runTool("stick", ["validate", padded])
        #expect(ok.status == 0, "\(ok.stdoutText) \(ok.stderr)")
        #expect(ok.stdoutText.contains("1 records"))
    }

    @Test("devices are refused, documents are capped, and sniffing reads only the first bytes")
    func devicesAndSniffing() throws {
        #expect(throws: StickError.self) { try Inputs.open("/dev/zero") }
        let error = #expect(throws: StickError.self) { try Inputs.readAll("/dev/urandom") }
        #expect(error?.message.contains("device") == true)
        let scratch = try ScratchDirectory()
        let doc = scratch.file("big.json")
        try Data(repeating: 0x20, count: 5000).write(to: URL(fileURLWithPath: doc))
        let capped = #expect(throws: StickError.self) { try Inputs.readAll(doc, limit: 4096) }
        #expect(capped?.description.hasPrefix("\(doc): document larger than 4096 bytes") == true)

        // A pipe whose writer never finishes: sniffing sees binary data at once and stops there.
        let fifo = scratch.file("pipe")
        try #require(mkfifo(fifo, 0o600) == 0)
        final class Flag: @unchecked Sendable { var writerDone = false }
        let flag = Flag()
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            _ = [UInt8](repeating: 0x01, count: 100).withUnsafeBytes { write(fd, $0.baseAddress, 100) }
            Thread.sleep(forTimeInterval: 20)
            flag.writerDone = true
            close(fd)
        }
        writer.start()
        #expect(try sniffArtifact(fifo) == nil)
        #expect(!flag.writerDone, "sniffing waited for the whole input")
    }

    @Test("numbers beyond a double, or integers beyond 2^53, are errors with file:line")
    func outOfRangeNumbers() throws {
        let scratch = try ScratchDirectory()
        let header = #"{"stick":"openers","version":1,"tool":"t","params":{},"inputs":[]}"#
        // nil: valid; otherwise a fragment of the problem reported for line 3.
        let cases: [(String, String?)] = [
            ("1e400", "out of range"), ("-1e400", "out of range"), ("9007199254740993", "out of range"),
            ("123456789012345678901234567890", "out of range"), ("01", "invalid"), ("1.", "invalid"), (".5", "invalid"),
            ("1.5e300", "integer"), ("9007199254740992", nil), ("0", nil),
        ]
        for (value, problem) in cases {
            let file = scratch.file("n.jsonl")
            try Data("\(header)\n{\"text\":\"x\",\"n_tokens\":1}\n{\"text\":\"y\",\"n_tokens\":\(value)}\n".utf8)
                .write(to: URL(fileURLWithPath: file))
            let report = try ArtifactValidation.validate(file: file)
            if let problem {
                #expect(report.problems.first?.line == 3, "\(value): \(report.problems)")
                #expect(report.problems.first?.message.contains(problem) == true, "\(value): \(report.problems)")
            } else {
                #expect(report.ok, "\(value): \(report.problems)")
            }
        }
    }

    /// One demo session, as JSON lines (header, record), for editing.
    func demoSession(_ scratch: ScratchDirectory, context: String = "no_conv") throws -> (header: String, record: [String: Any]) {
        let path = scratch.file("one.jsonl")
        let gen = try runTool("gen-prompts", ["demo", "--contexts", context, "--personas", "0", "-q", "-o", path])
        try #require(gen.status == 0, "\(gen.stderr)")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let record = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as! [String: Any]
        return (lines[0], record)
    }

    @Test("query and parse refuse sessions whose numbers would index out of range, instead of crashing",
          arguments: ["index-2^24", "index-negative", "calls-huge", "letters-mismatch", "svs-group-item"])
    func hostileSessionNumbers(kind: String) throws {
        let scratch = try ScratchDirectory()
        var (header, record) = try demoSession(scratch, context: kind == "svs-group-item" ? "svs_no_conv" : "no_conv")
        var items = record["items"] as! [[String: Any]]
        var expected = ""
        switch kind {
        case "index-2^24":
            items[0]["index"] = 1 << 24
            expected = "item 0 has index 16777216"
        case "index-negative":
            items[1]["index"] = -5
            expected = "item 1 has index -5"
        case "calls-huge":
            record["calls"] = 1 << 40
            expected = "has 1099511627776 calls"
        case "letters-mismatch":
            items[0]["scores"] = [1]
            expected = "item 0 has"
        default:
            var svs = record["svs"] as! [String: Any]
            var groups = svs["groups"] as! [[String: Any]]
            groups[0]["items"] = [1, 99_999_999]
            svs["groups"] = groups
            record["svs"] = svs
            expected = "names item 99999999"
        }
        record["items"] = items
        let sessions = scratch.file("s.jsonl")
        try Data((header + "\n" + String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self) + "\n").utf8)
            .write(to: URL(fileURLWithPath: sessions))

        let query = try runTool("query", [sessions, "--model", TestPaths.packageRoot.path + "/pipelines/models/dummy.yaml",
                                          "-o", scratch.file("r.jsonl"), "-q"])
        #expect(query.status == 1, "\(query.stderr)")
        #expect(query.stderr.contains("\(sessions):2: session '") && query.stderr.contains(expected), "\(query.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("r.jsonl")))

        // parse reads the same sessions (any responses file: the sessions are refused first).
        let responses = scratch.file("empty-responses.jsonl")
        try Data(#"{"stick":"responses","version":1,"tool":"t","params":{},"inputs":[]}"#.utf8 + [0x0A]).write(to: URL(fileURLWithPath: responses))
        let parse = try runTool("parse", ["--sessions", sessions, responses, "-o", scratch.file("a.jsonl")])
        #expect(parse.status == 1, "\(parse.stderr)")
        #expect(parse.stderr.contains("\(sessions):2: session '") && parse.stderr.contains(expected), "\(parse.stderr)")
    }

    @Test("generated sessions are always consistent")
    func generatedSessionsAreConsistent() throws {
        var count = 0
        let (design, _, _) = try Design.load("demo")
        try SessionGenerator.generate(dataset: try Dataset.load("demo"), design: design) { s in
            count += 1
            #expect(s.inconsistency() == nil, "\(s.id): \(s.inconsistency() ?? "")")
        }
        #expect(count > 0)
    }
}
