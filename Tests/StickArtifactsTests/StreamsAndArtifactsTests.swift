// Streams and artifacts: JSONL round trips through every codec (checked against the system
// decompressors), deterministic compression, magic-byte sniffing, line splitting, reader errors that
// name file:line, atomic outputs, artifact sniffing and schema validation.
import Foundation
import StickArtifacts
import StickTestSupport
import Testing

private struct Rec: Codable, Equatable {
    var id: Int
    var name: String
    var tags: [String]
    var score: Double?
}

private let sampleRecords: [Rec] = [
    Rec(id: 1, name: "alpha", tags: ["a", "b"], score: 0.5),
    Rec(id: 2, name: "bêta — ünïcode / slash", tags: [], score: nil),
    Rec(id: 3, name: "line\nbreak \"quoted\"", tags: ["x"], score: -3),
]

/// Writes a `.sessions` JSONL artifact of `records` (codec from the name unless given).
private func writeArtifact<R: Encodable>(_ path: String, _ records: [R], kind: ArtifactKind = .sessions,
                                         codec: Codec? = nil) throws {
    try withOutput(path, codec: codec) { out in
        let writer = try JSONLWriter(output: out, header: ArtifactHeader(kind: kind))
        for r in records { try writer.write(r) }
    }
}

private func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

private func text(_ path: String) throws -> String {
    String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
}

private func write(_ path: String, _ string: String) throws {
    try Data(string.utf8).write(to: URL(fileURLWithPath: path))
}

/// The full path of a program on $PATH, nil when missing.
private func which(_ program: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
        let candidate = "\(dir)/\(program)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}


/// All lines of `path` through LineReader, as strings.
private func allLines(_ path: String) throws -> [String] {
    let reader = try LineReader(path: path)
    defer { reader.close() }
    var out: [String] = []
    while let line = try reader.next() { out.append(String(decoding: line, as: UTF8.self)) }
    return out
}

private func directoryListing(_ path: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).sorted()
}

/// Deterministic, poorly compressible text (so a compressed file has a substantial body to truncate).
private func noisyRecords(_ count: Int) -> [Rec] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 11
    }
    return (0..<count).map { i in
        let noise = (0..<6).map { _ in String(next(), radix: 36) }.joined(separator: "-")
        return Rec(id: i, name: noise, tags: [String(next() % 1000)], score: Double(next() % 10_000) / 7)
    }
}

@Suite struct StreamsAndArtifactsTests {
    // MARK: round trips

    @Test("JSONL artifacts round-trip through every codec", arguments: ["jsonl", "jsonl.zst", "jsonl.gz", "jsonl.xz"])
    func roundTrip(suffix: String) throws {
        let dir = try ScratchDirectory()
        let plain = dir.file("plain.jsonl")
        let path = dir.file("records.\(suffix)")
        try writeArtifact(plain, sampleRecords)
        try writeArtifact(path, sampleRecords)

        let reader = try JSONLReader<Rec>(path: path, kind: .sessions)
        #expect(reader.header.stick == "sessions")
        #expect(reader.header.version == ArtifactKind.sessions.currentVersion)
        #expect(try reader.readAll() == sampleRecords)
        reader.close()
        // The decompressed bytes are exactly those of the uncompressed artifact.
        #expect(try Inputs.readAll(path) == Data(contentsOf: URL(fileURLWithPath: plain)))

        let raw = try bytes(path)
        let plainText = try text(plain)
        #expect(plainText.hasPrefix("{\"stick\":\"sessions\",\"version\":1,"))
        #expect(plainText.split(separator: "\n").count == 1 + sampleRecords.count)
        switch suffix {
        case "jsonl":
            #expect(Codec.sniff(Array(raw.prefix(6))) == nil)
        case "jsonl.zst":
            #expect(raw.starts(with: [0x28, 0xB5, 0x2F, 0xFD]))
        case "jsonl.gz":
            #expect(raw.starts(with: [0x1F, 0x8B]))
        case "jsonl.xz":
            #expect(raw.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]))
        default:
            Issue.record("unexpected suffix \(suffix)")
        }
        // An independent decoder reads what we wrote.
        let cli: String? = ["jsonl.zst": "zstd", "jsonl.gz": "gzip", "jsonl.xz": "xz"][suffix]
        if let cli, let tool = which(cli) {
            let (status, out) = try runExternal(tool, ["-dc", path])
            #expect(status == 0, "\(cli) -dc failed on \(path)")
            #expect(String(decoding: out, as: UTF8.self) == plainText)
        }
    }

    @Test("compressed writes are deterministic (same content, same bytes, even a second later)",
          arguments: [Codec.gzip, Codec.zstd, Codec.xz])
    func deterministicCompression(codec: Codec) throws {
        let dir = try ScratchDirectory()
        let a = dir.file("a.jsonl"), b = dir.file("b.jsonl")
        try writeArtifact(a, sampleRecords, codec: codec)
        // gzip headers can carry a timestamp in seconds: cross a second boundary.
        Thread.sleep(forTimeInterval: 1.1)
        try writeArtifact(b, sampleRecords, codec: codec)
        let first = try bytes(a), second = try bytes(b)
        #expect(Codec.sniff(Array(first.prefix(6))) == codec)
        #expect(first == second)
    }

    @Test("Inputs.open detects compression by magic bytes, whatever the file name", arguments: [Codec.zstd, .gzip, .xz])
    func sniffsCompressionWithoutSuffix(codec: Codec) throws {
        let dir = try ScratchDirectory()
        let path = dir.file("no-suffix-at-all")
        let content = String(repeating: "some line of text 0123456789\n", count: 500)
        try withOutput(path, codec: codec) { out in try out.write(content) }
        let raw = try bytes(path)
        #expect(Codec.sniff(Array(raw.prefix(6))) == codec)
        #expect(raw.count < content.utf8.count)
        #expect(String(decoding: try Inputs.readAll(path), as: UTF8.self) == content)
        // A plain file with the same name pattern is read as is.
        let plain = dir.file("plain-no-suffix")
        try write(plain, content)
        #expect(String(decoding: try Inputs.readAll(plain), as: UTF8.self) == content)
    }

    @Test("a compressed input's descriptors are all closed with the source")
    func compressedSourceClosesItsDescriptors() throws {
        let fdDir = "/proc/self/fd"
        guard FileManager.default.fileExists(atPath: fdDir) else { return }
        let dir = try ScratchDirectory()
        let path = dir.file("closing.bin")
        try withOutput(path, codec: .zstd) { out in try out.write("hello\n") }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        func descriptorsOnFile() -> Int {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: fdDir)) ?? []
            return fds.filter { fd in
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDir)/\(fd)") else { return false }
                return target == path || target == resolved
            }.count
        }
        let source = try Inputs.open(path)
        #expect(descriptorsOnFile() >= 1)
        source.close()
        #expect(descriptorsOnFile() == 0)
        for _ in 0..<5 { _ = try Inputs.readAll(path) }
        #expect(descriptorsOnFile() == 0)
    }

    // MARK: LineReader

    @Test("LineReader strips CRLF and keeps a last line without newline")
    func lineReaderCRLFAndLastLine() throws {
        let dir = try ScratchDirectory()
        let path = dir.file("crlf.txt")
        try write(path, "one\r\ntwo\r\n\r\nthree\nfour\r")
        let reader = try LineReader(path: path)
        var lines: [String] = []
        var numbers: [Int] = []
        while let line = try reader.next() {
            lines.append(String(decoding: line, as: UTF8.self))
            numbers.append(reader.lineNumber)
        }
        reader.close()
        // A lone trailing "\r" without "\n" is data, not a line ending.
        #expect(lines == ["one", "two", "", "three", "four\r"])
        #expect(numbers == [1, 2, 3, 4, 5])

        let noNewline = dir.file("last.txt")
        try write(noNewline, "a\nb\nlast without newline")
        #expect(try allLines(noNewline) == ["a", "b", "last without newline"])
    }

    @Test("LineReader handles lines far longer than its 64 KiB chunk, plain and compressed",
          arguments: ["long.txt", "long.txt.zst"])
    func lineReaderLongLines(name: String) throws {
        let dir = try ScratchDirectory()
        let path = dir.file(name)
        let long1 = String((0..<200_000).map { i in Character(UnicodeScalar(UInt8(97 + i % 26))) })
        let long2 = String(repeating: "Z", count: 131_072)  // exactly two chunks
        try withOutput(path) { out in try out.write("short\n\(long1)\r\n\(long2)\nend") }
        let lines = try allLines(path)
        #expect(lines.count == 4)
        #expect(lines.map(\.count) == [5, 200_000, 131_072, 3])
        #expect(lines[1] == long1)
        #expect(lines[2] == long2)
        #expect(lines[3] == "end")
    }

    @Test("LineReader on an empty file returns no line")
    func lineReaderEmpty() throws {
        let dir = try ScratchDirectory()
        let path = dir.file("empty.txt")
        try write(path, "")
        let reader = try LineReader(path: path)
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
        #expect(reader.lineNumber == 0)
        reader.close()
        let single = dir.file("newline.txt")
        try write(single, "\n")
        #expect(try allLines(single) == [""])
    }

    // MARK: JSONLReader errors

    @Test("reading an artifact of the wrong kind names file:1")
    func wrongKind() throws {
        let dir = try ScratchDirectory()
        let path = dir.file("openers.jsonl")
        try writeArtifact(path, sampleRecords, kind: .openers)
        let error = #expect(throws: StickError.self) { try JSONLReader<Rec>(path: path, kind: .sessions) }
        #expect(error?.file == path)
        #expect(error?.line == 1)
        #expect(error?.description.contains("\(path):1:") == true)
        #expect(error?.description.contains("openers") == true)
        // Read as what it is, it is fine.
        #expect(try JSONLReader<Rec>(path: path, kind: .openers).readAll() == sampleRecords)
    }

    @Test("an unknown version is refused with the version in the message")
    func unknownVersion() throws {
        let dir = try ScratchDirectory()
        let path = dir.file("future.jsonl.gz")
        var header = ArtifactHeader(kind: .sessions)
        header.version = 99
        try withOutput(path) { out in
            let w = try JSONLWriter(output: out, header: header)
            try w.write(sampleRecords[0])
        }
        let error = #expect(throws: StickError.self) { try JSONLReader<Rec>(path: path, kind: .sessions) }
        #expect(error?.message.contains("version 99") == true)
        #expect(error?.description.contains("\(path):1:") == true)
    }

    @Test("malformed JSON on line 3 is reported as file:3 after the good records")
    func malformedLine() throws {
        let dir = try ScratchDirectory()
        let path = dir.file("bad.jsonl")
        let header = String(decoding: try StickJSON.headerLine(ArtifactHeader(kind: .sessions)), as: UTF8.self)
        let good = String(decoding: try StickJSON.line(sampleRecords[0]), as: UTF8.self)
        try write(path, header + good + "{\"id\": 2, \"name\": \"x\", \"tags\": [}\n" + good)
        let reader = try JSONLReader<Rec>(path: path, kind: .sessions)
        let first = try reader.next()
        #expect(first?.line == 2)
        #expect(first?.record == sampleRecords[0])
        let error = #expect(throws: StickError.self) { try reader.next() }
        #expect(error?.line == 3)
        #expect(error?.description.contains("\(path):3:") == true)
        reader.close()

        // A record of the wrong shape is reported the same way, with the field.
        let shape = dir.file("shape.jsonl")
        try write(shape, header + good + good + "{\"id\": \"three\", \"name\": \"x\", \"tags\": []}\n")
        let error2 = #expect(throws: StickError.self) { try JSONLReader<Rec>(path: shape, kind: .sessions).readAll() }
        #expect(error2?.description.contains("\(shape):4:") == true)
        #expect(error2?.message.contains("id") == true)
    }

    @Test("an empty file or a non-header first line is an error, not an empty artifact")
    func emptyAndHeaderless() throws {
        let dir = try ScratchDirectory()
        let empty = dir.file("empty.jsonl")
        try write(empty, "")
        let error = #expect(throws: StickError.self) { try JSONLReader<Rec>(path: empty, kind: .sessions) }
        #expect(error?.file == empty)
        #expect(error?.message.contains("empty") == true)

        let headerless = dir.file("headerless.jsonl")
        try write(headerless, String(decoding: try StickJSON.line(sampleRecords[0]), as: UTF8.self))
        let error2 = #expect(throws: StickError.self) { try JSONLReader<Rec>(path: headerless, kind: .sessions) }
        #expect(error2?.description.contains("\(headerless):1:") == true)
    }

    @Test("a truncated .zst fails with file and line instead of ending early")
    func truncatedZstd() throws {
        let dir = try ScratchDirectory()
        let full = dir.file("full.jsonl.zst")
        let records = noisyRecords(4000)
        try writeArtifact(full, records)
        #expect(try JSONLReader<Rec>(path: full, kind: .sessions).readAll() == records)

        let raw = try bytes(full)
        #expect(raw.count > 50_000)
        let truncated = dir.file("truncated.jsonl.zst")
        try Data(raw.prefix(raw.count * 7 / 10)).write(to: URL(fileURLWithPath: truncated))
        let reader = try JSONLReader<Rec>(path: truncated, kind: .sessions)
        var read = 0
        let error = #expect(throws: StickError.self) {
            while try reader.next() != nil { read += 1 }
        }
        #expect(error?.file == truncated)
        #expect(error?.line != nil)
        #expect(error?.line.map { $0 > 1 } == true)
        #expect(error?.description.contains("\(truncated):") == true)
        #expect(error?.message.lowercased().contains("truncated") == true)
        #expect(read < records.count)
    }

    // MARK: outputs

    @Test("a failed withOutput leaves neither the file nor a temporary", arguments: ["out.jsonl", "out.jsonl.zst"])
    func outputAbandonedOnError(name: String) throws {
        struct Boom: Error {}
        let dir = try ScratchDirectory()
        let path = dir.file(name)
        #expect(throws: Boom.self) {
            try withOutput(path) { out in
                try out.write(String(repeating: "partial data\n", count: 10_000))
                throw Boom()
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try directoryListing(dir.path) == [])

        // A failed rewrite keeps the previous version intact.
        try withOutput(path) { out in try out.write("version 1\n") }
        #expect(throws: Boom.self) {
            try withOutput(path) { out in
                try out.write("version 2\n")
                throw Boom()
            }
        }
        #expect(String(decoding: try Inputs.readAll(path), as: UTF8.self) == "version 1\n")
        #expect(try directoryListing(dir.path) == [name])
    }

    @Test("a successful withOutput renames into place and leaves no temporary")
    func outputCommittedOnSuccess() throws {
        let dir = try ScratchDirectory()
        let path = dir.file("result.txt")
        let value = try withOutput(path) { out -> Int in
            try out.write("hello\n")
            // Nothing under the final name until the body returned.
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(try directoryListing(dir.path).contains { $0.hasPrefix(".result.txt.tmp-") })
            try out.write(Data("world\n".utf8))
            return 42
        }
        #expect(value == 42)
        #expect(try text(path) == "hello\nworld\n")
        #expect(try directoryListing(dir.path) == ["result.txt"])
        #expect(try directoryListing(dir.path).allSatisfy { !$0.contains(".tmp-") })

        let error = #expect(throws: StickError.self) { try withOutput(dir.file("missing/x.txt")) { _ in } }
        #expect(error?.message.contains("does not exist") == true)
    }

    // MARK: sniffing

    @Test("sniffArtifact reads the kind and version of JSONL and JSON documents")
    func sniff() throws {
        let dir = try ScratchDirectory()
        let jsonl = dir.file("s.jsonl")
        try writeArtifact(jsonl, sampleRecords, kind: .openers)
        let r1 = try sniffArtifact(jsonl)
        #expect(r1?.kind == "openers")
        #expect(r1?.version == 1)

        let compressed = dir.file("s.jsonl.xz")
        try writeArtifact(compressed, sampleRecords, kind: .sessions)
        #expect(try sniffArtifact(compressed)?.kind == "sessions")

        let pretty = dir.file("doc.json")
        try write(pretty, """
            {
              "members" : [],
              "stick" : "manifest",
              "tool" : "stick 0.1.0",
              "version" : 3
            }

            """)
        let r2 = try sniffArtifact(pretty)
        #expect(r2?.kind == "manifest")
        #expect(r2?.version == 3)

        let other = dir.file("other.json")
        try write(other, "{\n  \"hello\": 1\n}\n")
        #expect(try sniffArtifact(other) == nil)
        let empty = dir.file("empty")
        try write(empty, "")
        #expect(try sniffArtifact(empty) == nil)
    }

    // MARK: validation

    @Test("validate accepts gen-prompts output and pins problems to their lines")
    func validation() throws {
        let dir = try ScratchDirectory()
        let path = dir.file("sessions.jsonl")
        let gen = try runTool("gen-prompts", ["demo", "--contexts", "no_conv", "--personas", "0-1", "-o", path])
        #expect(gen.status == 0, "gen-prompts failed: \(gen.stderr)")
        let report = try ArtifactValidation.validate(file: path)
        #expect(report.ok, "\(report.problems)")
        #expect(report.kind == "sessions")
        #expect(report.version == 1)
        #expect(report.records == 2)

        let lines = try text(path).split(separator: "\n").map(String.init)
        try #require(lines.count == 3)

        // Line 3 without a required field.
        var record = try #require(try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any])
        #expect(record["context"] != nil)
        record.removeValue(forKey: "context")
        let missing = String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self)
        let missingPath = dir.file("missing.jsonl")
        try write(missingPath, lines[0] + "\n" + lines[1] + "\n" + missing + "\n")
        let r1 = try ArtifactValidation.validate(file: missingPath)
        #expect(!r1.ok)
        #expect(r1.records == 2)
        #expect(r1.problems.allSatisfy { $0.line == 3 && $0.file == missingPath }, "\(r1.problems)")
        #expect(r1.problems.contains { $0.message.contains("context") })
        #expect(r1.problems.first?.description.hasPrefix("\(missingPath):3:") == true)

        // Line 3 of the wrong shape entirely.
        let wrongPath = dir.file("wrong.jsonl.zst")
        try withOutput(wrongPath) { out in try out.write(lines[0] + "\n" + lines[1] + "\n{\"id\": 5}\n") }
        let r2 = try ArtifactValidation.validate(file: wrongPath, limit: 100)
        #expect(!r2.ok)
        #expect(r2.problems.allSatisfy { $0.line == 3 }, "\(r2.problems)")
        #expect(r2.problems.contains { $0.message.hasPrefix("/id:") }, "\(r2.problems)")  // 5 is not a string
        #expect(r2.problems.contains { $0.message.contains("'context'") })
        // The default limit caps the report.
        #expect(try ArtifactValidation.validate(file: wrongPath).problems.count == 10)

        // Line 3 not JSON at all.
        let brokenPath = dir.file("broken.jsonl")
        try write(brokenPath, lines[0] + "\n" + lines[1] + "\n{\"id\": \n")
        let r3 = try ArtifactValidation.validate(file: brokenPath)
        #expect(r3.problems.count == 1)
        #expect(r3.problems.first?.line == 3)

        // An unknown kind is a problem of line 1.
        let unknownPath = dir.file("unknown.jsonl")
        try write(unknownPath, "{\"stick\":\"bogus\",\"version\":1}\n" + lines[1] + "\n")
        let r4 = try ArtifactValidation.validate(file: unknownPath)
        #expect(!r4.ok)
        #expect(r4.problems.count == 1)
        #expect(r4.problems.first?.line == 1)
        #expect(r4.problems.first?.message.contains("bogus") == true)

        // An unsupported version too.
        let futurePath = dir.file("future.jsonl")
        try write(futurePath, lines[0].replacingOccurrences(of: "\"version\":1,", with: "\"version\":99,") + "\n" + lines[1] + "\n")
        let r5 = try ArtifactValidation.validate(file: futurePath)
        #expect(r5.problems.first?.line == 1)
        #expect(r5.problems.first?.message.contains("version 99") == true)
    }

    @Test("closing a reader twice (close() then deinit) never closes a descriptor reused by someone else")
    func doubleCloseIsHarmless() throws {
        let scratch = try ScratchDirectory()
        let file = scratch.file("a.jsonl")
        try withOutput(file) { out in
            let w = try JSONLWriter(output: out, header: ArtifactHeader(kind: .sessions))
            try w.write(["x": 1])
        }
        var reader: JSONLReader<[String: Int]>? = try JSONLReader(path: file, kind: .sessions)
        reader?.close()
        // The freed descriptor number is likely reused by the next open.
        let other = scratch.file("b.txt")
        FileManager.default.createFile(atPath: other, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: other))
        reader = nil  // deinit closes again
        try handle.write(contentsOf: Data("still open\n".utf8))
        try handle.close()
        #expect(try String(contentsOfFile: other, encoding: .utf8) == "still open\n")
    }
}
