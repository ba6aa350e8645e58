// Archives and the command line: deterministic pack/unpack with a verified manifest, reading members
// in place, refusal of unsafe or tampered archives (nothing written outside or into the target), and
// the executables' exit statuses and streams.
import Foundation
import StickArtifacts
import StickTestSupport
import Testing

private struct Row: Codable, Equatable {
    var key: String
    var value: Int
}

private let rows = [Row(key: "a", value: 1), Row(key: "b", value: 2), Row(key: "c", value: 3)]

private func write(_ path: String, _ string: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                            withIntermediateDirectories: true)
    try Data(string.utf8).write(to: URL(fileURLWithPath: path))
}

private func contents(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

/// Regular files under `root`, relative and sorted.
private func files(_ root: String) throws -> [String] {
    try treeEntries(root).filter { rel in
        let attrs = try FileManager.default.attributesOfItem(atPath: (root as NSString).appendingPathComponent(rel))
        return attrs[.type] as? FileAttributeType == .typeRegular
    }
}

/// Builds a small run directory: a sessions artifact from gen-prompts (compressed), a plain JSONL
/// artifact in a subdirectory, a CSV and a nested text file.
private func makeRunDirectory(_ dir: String) throws {
    try FileManager.default.createDirectory(atPath: dir + "/sub/deeper", withIntermediateDirectories: true)
    let gen = try runTool("gen-prompts", ["demo", "--contexts", "no_conv", "--personas", "0-1", "-q",
                                          "-o", dir + "/sessions.jsonl.zst"])
    try #require(gen.status == 0, "gen-prompts failed: \(gen.stderr)")
    try withOutput(dir + "/sub/file.jsonl") { out in
        let w = try JSONLWriter(output: out, header: ArtifactHeader(kind: .openers))
        for r in rows { try w.write(r) }
    }
    try write(dir + "/scores.csv", "model,score\nalpha,0.5\n\"beta, gamma\",1.25\n")
    try write(dir + "/sub/deeper/notes.txt", "nested notes\n")
}

/// The script that writes unsafe archives: argv = [archive, case, extra].
private let unsafeArchiveScript = """
import io, sys, tarfile
path, case, extra = sys.argv[1], sys.argv[2], sys.argv[3]
def reg(tf, name, data=b"evil\\n"):
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o644
    tf.addfile(ti, io.BytesIO(data))
def link(tf, name, kind, target):
    ti = tarfile.TarInfo(name); ti.type = kind; ti.linkname = target
    tf.addfile(ti)
with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tf:
    reg(tf, "harmless.txt", b"fine\\n")   # extracted first: it must not land in the target either
    if case == "absolute":
        reg(tf, extra)
    elif case == "dotdot":
        reg(tf, "../evil")
    elif case == "nested-dotdot":
        reg(tf, "sub/../../evil")
    elif case == "symlink-absolute":
        link(tf, "passwd", tarfile.SYMTYPE, "/etc/passwd")
    elif case == "symlink-parent":
        link(tf, "a", tarfile.SYMTYPE, "..")
        reg(tf, "a/evil")
    elif case == "hardlink":
        link(tf, "hard", tarfile.LNKTYPE, "../x")
    elif case == "chardev":
        ti = tarfile.TarInfo("null"); ti.type = tarfile.CHRTYPE; ti.devmajor = 1; ti.devminor = 3
        tf.addfile(ti)
    elif case == "big":
        reg(tf, "big.bin", b"x" * 2000)
    else:
        raise SystemExit("unknown case " + case)
"""

@Suite struct ArchiveAndCLITests {
    // MARK: pack / unpack

    @Test("pack then extract gives back every file byte for byte", arguments: ["x.tar.zst", "x.tar.gz", "x.tar.xz", "x.tar"])
    func packExtractIdentity(name: String) throws {
        let scratch = try ScratchDirectory()
        let source = scratch.file("run")
        try makeRunDirectory(source)
        let archive = scratch.file(name)
        let manifest = try Archives.pack(directory: source, to: archive)
        let sourceFiles = try files(source)
        #expect(sourceFiles == ["scores.csv", "sessions.jsonl.zst", "sub/deeper/notes.txt", "sub/file.jsonl"])
        #expect(manifest.members.map(\.path) == sourceFiles)
        let kinds = Dictionary(uniqueKeysWithValues: manifest.members.map { ($0.path, $0.kind) })
        #expect(kinds["sessions.jsonl.zst"] == "sessions")
        #expect(kinds["sub/file.jsonl"] == "openers")
        #expect(kinds["scores.csv"] == .some(nil))
        for m in manifest.members {
            let (sha, size) = try SHA256Hex.ofFile((source as NSString).appendingPathComponent(m.path))
            #expect(m.sha256 == sha)
            #expect(m.size == size)
        }

        let raw = Array(try contents(archive).prefix(6))
        #expect(Codec.sniff(raw) == (name == "x.tar" ? nil : Codec.forPath(name)))

        let entries = try Archives.entries(of: archive)
        #expect(entries.first?.path == ArchiveManifest.fileName)
        #expect(entries.map(\.path) == [ArchiveManifest.fileName] + sourceFiles)
        #expect(entries.allSatisfy { $0.type == .file })
        #expect(try Archives.manifest(of: archive) == manifest)

        let target = scratch.file("out/nested")
        let extracted = try Archives.extract(archive, into: target)
        #expect(extracted == [ArchiveManifest.fileName] + sourceFiles)
        #expect(try files(target) == ([ArchiveManifest.fileName] + sourceFiles).sorted())
        for rel in sourceFiles {
            #expect(try contents(target + "/" + rel) == contents(source + "/" + rel), "\(rel) differs")
        }
        let written = try JSONDecoder().decode(ArchiveManifest.self, from: contents(target + "/MANIFEST.json"))
        #expect(written == manifest)
        // No staging directory is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).allSatisfy { !$0.hasPrefix(".") })
    }

    @Test("packing is deterministic across runs, mtimes and seconds", arguments: ["x.tar.zst", "x.tar.gz"])
    func packDeterministic(name: String) throws {
        let scratch = try ScratchDirectory()
        let source = scratch.file("run")
        try makeRunDirectory(source)
        let first = scratch.file("1-" + name), second = scratch.file("2-" + name), third = scratch.file("3-" + name)
        try Archives.pack(directory: source, to: first)
        Thread.sleep(forTimeInterval: 1.1)
        try Archives.pack(directory: source, to: second)
        #expect(try contents(first) == contents(second))

        for rel in try files(source) {
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: 1_000_000_000), .posixPermissions: 0o600],
                ofItemAtPath: source + "/" + rel)
        }
        try Archives.pack(directory: source, to: third)
        #expect(try contents(first) == contents(third))

        // Different content, different bytes (the comparison above can fail).
        try write(source + "/scores.csv", "model,score\nalpha,0.6\n")
        let fourth = scratch.file("4-" + name)
        try Archives.pack(directory: source, to: fourth)
        #expect(try contents(first) != contents(fourth))
    }

    @Test("pack refuses links and leaves no archive behind")
    func packRefusesLinks() throws {
        let scratch = try ScratchDirectory()
        let source = scratch.file("run")
        try write(source + "/a.txt", "a\n")
        try FileManager.default.createSymbolicLink(atPath: source + "/link", withDestinationPath: "/etc/passwd")
        let archive = scratch.file("x.tar.zst")
        #expect(throws: StickError.self) { try Archives.pack(directory: source, to: archive) }
        #expect(treeEntries(scratch.path) == ["run", "run/a.txt", "run/link"])
    }

    // MARK: reading members in place

    @Test("ARCHIVE#MEMBER reads one member, plain or compressed")
    func readMember() throws {
        let scratch = try ScratchDirectory()
        let source = scratch.file("run")
        try makeRunDirectory(source)
        let archive = scratch.file("x.tar.zst")
        try Archives.pack(directory: source, to: archive)

        let plain = try JSONLReader<Row>(path: archive + "#sub/file.jsonl", kind: .openers)
        #expect(plain.header.stick == "openers")
        #expect(try plain.readAll() == rows)
        plain.close()
        #expect(try Inputs.readAll(archive + "#./sub/file.jsonl") == contents(source + "/sub/file.jsonl"))
        #expect(try Inputs.readAll(archive + "#scores.csv") == contents(source + "/scores.csv"))

        // A compressed member is decompressed like a compressed file.
        let direct = try Inputs.readAll(source + "/sessions.jsonl.zst")
        #expect(String(decoding: direct.prefix(22), as: UTF8.self) == "{\"stick\":\"sessions\",\"v")
        #expect(try Inputs.readAll(archive + "#sessions.jsonl.zst") == direct)
        let report = try ArtifactValidation.validate(file: archive + "#sessions.jsonl.zst")
        #expect(report.ok, "\(report.problems)")
        #expect(report.records == 2)

        let error = #expect(throws: StickError.self) { try Inputs.open(archive + "#sub/nope.jsonl") }
        #expect(error?.description.contains("nope.jsonl") == true)
        #expect(error?.file == archive)
        let error2 = #expect(throws: StickError.self) { try JSONLReader<Row>(path: archive + "#missing.jsonl", kind: .openers) }
        #expect(error2?.description.contains("missing.jsonl") == true)
    }

    // MARK: unsafe archives

    @Test("unsafe archives are refused and nothing is written anywhere",
          arguments: ["absolute", "dotdot", "nested-dotdot", "symlink-absolute", "symlink-parent", "hardlink", "chardev", "big"])
    func unsafeArchive(kind: String) throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("evil.tar")
        let absoluteVictim = scratch.file("evil-absolute")
        try write(scratch.file("x"), "outside\n")
        try runPython(unsafeArchiveScript, [archive, kind, absoluteVictim])

        // The archive really holds what the case is about.
        let entries = try Archives.entries(of: archive)
        #expect(entries.first?.path == "harmless.txt")
        let last = try #require(entries.last)
        switch kind {
        case "absolute": #expect(last.path == absoluteVictim)
        case "dotdot": #expect(last.path == "../evil")
        case "symlink-absolute": #expect(last.type == .symlink)
        case "symlink-parent": #expect(entries.map(\.type) == [.file, .symlink, .file])
        case "hardlink": #expect(last.type == .hardlink)
        case "chardev": #expect(last.type == .other)
        case "big": #expect(last.size == 2000)
        default: break
        }

        let before = treeEntries(scratch.path)
        let target = scratch.file("out")
        let error = #expect(throws: StickError.self) {
            try Archives.extract(archive, into: target, limits: ExtractionLimits(maxMemberSize: 1000), requireManifest: false)
        }
        #expect(error?.file == archive)
        let after = treeEntries(scratch.path).filter { $0 != "out" && !$0.hasPrefix("out/") }
        #expect(after == before, "something was written outside the target directory")
        #expect(treeEntries(target) == [], "the target directory holds \(treeEntries(target))")
        #expect(!FileManager.default.fileExists(atPath: absoluteVictim))
        #expect(try String(contentsOfFile: scratch.file("x"), encoding: .utf8) == "outside\n")

        // The same archive through the command line: refused with status 1.
        let cli = try runTool("stick", ["unpack", archive, "-C", target, "--no-verify", "--max-member-size", "1000"])
        #expect(cli.status == 1)
        #expect(cli.stderr.contains("error:"))
        #expect(treeEntries(target) == [])
        #expect(treeEntries(scratch.path).filter { $0 != "out" && !$0.hasPrefix("out/") } == before)
    }

    @Test("harmless links inside the archive are extracted")
    func safeLinks() throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("links.tar")
        try runPython("""
            import io, sys, tarfile
            with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as tf:
                ti = tarfile.TarInfo("d/file.txt"); data = b"data\\n"; ti.size = len(data); tf.addfile(ti, io.BytesIO(data))
                ti = tarfile.TarInfo("d/link"); ti.type = tarfile.SYMTYPE; ti.linkname = "file.txt"; tf.addfile(ti)
                ti = tarfile.TarInfo("hard"); ti.type = tarfile.LNKTYPE; ti.linkname = "d/file.txt"; tf.addfile(ti)
            """, [archive])
        let target = scratch.file("out")
        let extracted = try Archives.extract(archive, into: target, requireManifest: false)
        #expect(extracted == ["d/file.txt", "d/link", "hard"])
        #expect(try String(contentsOfFile: target + "/d/link", encoding: .utf8) == "data\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target + "/d/link") == "file.txt")
        #expect(try String(contentsOfFile: target + "/hard", encoding: .utf8) == "data\n")
    }

    // MARK: tampering and manifests

    @Test("a member that does not match MANIFEST.json is refused and nothing lands in the target")
    func tamperedArchive() throws {
        let scratch = try ScratchDirectory()
        let source = scratch.file("run")
        try makeRunDirectory(source)
        let archive = scratch.file("x.tar.gz")
        try Archives.pack(directory: source, to: archive)
        let tampered = scratch.file("tampered.tar")
        try runPython("""
            import io, sys, tarfile
            src, dst = sys.argv[1], sys.argv[2]
            with tarfile.open(src, "r:gz") as tin, tarfile.open(dst, "w", format=tarfile.PAX_FORMAT) as tout:
                for m in tin.getmembers():
                    data = tin.extractfile(m).read()
                    if m.name == "sub/deeper/notes.txt":
                        data = data.replace(b"nested", b"NESTED")   # same size, different content
                    m.size = len(data)
                    tout.addfile(m, io.BytesIO(data))
            """, [archive, tampered])
        #expect(try Archives.entries(of: tampered).map(\.path) == Archives.entries(of: archive).map(\.path))

        let target = scratch.file("out")
        let error = #expect(throws: StickError.self) { try Archives.extract(tampered, into: target) }
        #expect(error?.message.contains("sub/deeper/notes.txt") == true)
        #expect(error?.message.contains(ArchiveManifest.fileName) == true)
        #expect(treeEntries(target) == [])
        // The untampered archive still extracts.
        #expect(try Archives.extract(archive, into: target).count == 5)
    }

    @Test("a member missing from, or absent in, MANIFEST.json is refused")
    func manifestMismatch() throws {
        let scratch = try ScratchDirectory()
        let source = scratch.file("run")
        try makeRunDirectory(source)
        let archive = scratch.file("x.tar.gz")
        try Archives.pack(directory: source, to: archive)
        let edited = scratch.file("edited.tar")
        try runPython("""
            import io, sys, tarfile
            src, dst = sys.argv[1], sys.argv[2]
            with tarfile.open(src, "r:gz") as tin, tarfile.open(dst, "w", format=tarfile.PAX_FORMAT) as tout:
                for m in tin.getmembers():
                    if m.name == "scores.csv":
                        continue
                    tout.addfile(m, io.BytesIO(tin.extractfile(m).read()))
                ti = tarfile.TarInfo("extra.txt"); ti.size = 3; tout.addfile(ti, io.BytesIO(b"hi\\n"))
            """, [archive, edited])
        let target = scratch.file("out")
        let error = #expect(throws: StickError.self) { try Archives.extract(edited, into: target) }
        #expect(error?.message.contains("extra.txt") == true)
        #expect(treeEntries(target) == [])
    }

    @Test("an archive without MANIFEST.json needs requireManifest: false")
    func noManifest() throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("plain.tar.gz")
        try runPython("""
            import io, sys, tarfile
            with tarfile.open(sys.argv[1], "w:gz", format=tarfile.PAX_FORMAT) as tf:
                for name, data in [("a.txt", b"A\\n"), ("sub/b.txt", b"B\\n")]:
                    ti = tarfile.TarInfo(name); ti.size = len(data); tf.addfile(ti, io.BytesIO(data))
            """, [archive])
        #expect(try Archives.manifest(of: archive) == nil)
        let target = scratch.file("out")
        let error = #expect(throws: StickError.self) { try Archives.extract(archive, into: target) }
        #expect(error?.message.contains(ArchiveManifest.fileName) == true)
        #expect(treeEntries(target) == [])

        let extracted = try Archives.extract(archive, into: target, requireManifest: false)
        #expect(extracted == ["a.txt", "sub/b.txt"])
        #expect(try files(target) == ["a.txt", "sub/b.txt"])
        #expect(try String(contentsOfFile: target + "/sub/b.txt", encoding: .utf8) == "B\n")

        let cli = try runTool("stick", ["unpack", archive, "-C", scratch.file("cli")])
        #expect(cli.status == 1)
        #expect(cli.stderr.contains("--no-verify"))
        #expect(treeEntries(scratch.file("cli")) == [])
    }

    @Test("extraction that would overwrite refuses before moving anything, unless overwrite is set")
    func extractConflict() throws {
        let scratch = try ScratchDirectory()
        let source = scratch.file("run")
        try write(source + "/a.txt", "new a\n")
        try write(source + "/z.txt", "new z\n")
        let archive = scratch.file("x.tar.zst")
        try Archives.pack(directory: source, to: archive)
        let target = scratch.file("out")
        try write(target + "/z.txt", "old z\n")

        let error = #expect(throws: StickError.self) { try Archives.extract(archive, into: target) }
        #expect(error?.message.contains("z.txt") == true)
        #expect(treeEntries(target) == ["z.txt"])
        #expect(try String(contentsOfFile: target + "/z.txt", encoding: .utf8) == "old z\n")

        try Archives.extract(archive, into: target, overwrite: true)
        #expect(treeEntries(target) == ["MANIFEST.json", "a.txt", "z.txt"])
        #expect(try String(contentsOfFile: target + "/z.txt", encoding: .utf8) == "new z\n")
    }

    // MARK: command line

    @Test("stick pack, ls and unpack -C")
    func cliPackLsUnpack() throws {
        let scratch = try ScratchDirectory()
        let source = scratch.file("run")
        try makeRunDirectory(source)
        let archive = scratch.file("run.tar.zst")

        let pack = try runTool("stick", ["pack", source, "-o", archive])
        #expect(pack.status == 0, "\(pack.stderr)")
        #expect(pack.stdout.isEmpty)
        #expect(pack.stderr.contains("packed 4 files"))

        let ls = try runTool("stick", ["ls", archive])
        #expect(ls.status == 0, "\(ls.stderr)")
        let lines = ls.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines.first?.hasSuffix("  MANIFEST.json") == true)
        #expect(lines.contains { $0.contains("sessions v1") && $0.hasSuffix("  sessions.jsonl.zst") })
        #expect(lines.contains { $0.contains("openers v1") && $0.hasSuffix("  sub/file.jsonl") })
        #expect(lines.contains { $0.hasSuffix("  scores.csv") })

        let target = scratch.file("unpacked")
        let unpack = try runTool("stick", ["unpack", archive, "-C", target])
        #expect(unpack.status == 0, "\(unpack.stderr)")
        #expect(unpack.stderr.contains("verified"))
        for rel in try files(source) {
            #expect(try contents(target + "/" + rel) == contents(source + "/" + rel), "\(rel) differs")
        }
        #expect(FileManager.default.fileExists(atPath: target + "/MANIFEST.json"))

        // A second unpack into the same directory refuses to overwrite.
        let again = try runTool("stick", ["unpack", archive, "-C", target])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))

        // The unpacked directory packs to the same bytes.
        let repacked = scratch.file("again.tar.zst")
        #expect(try runTool("stick", ["pack", target, "-o", repacked]).status == 0)
        #expect(try contents(repacked) == contents(archive))

        let badName = try runTool("stick", ["pack", source, "-o", scratch.file("run.zip")])
        #expect(badName.status == 64)
        #expect(!FileManager.default.fileExists(atPath: scratch.file("run.zip")))
    }

    @Test("gen-prompts with an unknown context fails and writes nothing")
    func genPromptsUnknownContext() throws {
        let scratch = try ScratchDirectory()
        let out = scratch.file("s.jsonl.zst")
        let r = try runTool("gen-prompts", ["demo", "--contexts", "nope", "-o", out])
        #expect(r.status != 0)
        #expect(r.status == 1)
        #expect(r.stderr.contains("nope"))
        #expect(treeEntries(scratch.path) == [])

        let toStdout = try runTool("gen-prompts", ["demo", "--contexts", "nope"])
        #expect(toStdout.status == 1)
        #expect(toStdout.stderr.contains("nope"))
    }

    @Test("a bad persona range is a usage error (64)")
    func genPromptsUsageError() throws {
        let r = try runTool("gen-prompts", ["demo", "--personas", "9-1"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("9-1"))
        #expect(r.stdout.isEmpty)
        let viaStick = try runTool("stick", ["gen-prompts", "demo", "--personas", "9-1"])
        #expect(viaStick.status == 64)
    }

    @Test("stick validate reports FAIL file:line and exits 1")
    func cliValidateBadFile() throws {
        let scratch = try ScratchDirectory()
        let good = scratch.file("good.jsonl")
        #expect(try runTool("gen-prompts", ["demo", "--contexts", "no_conv", "--personas", "0-1", "-q", "-o", good]).status == 0)
        let ok = try runTool("stick", ["validate", good])
        #expect(ok.status == 0, "\(ok.stdoutText) \(ok.stderr)")
        #expect(ok.stdoutText.hasPrefix("ok  \(good)"))
        #expect(ok.stdoutText.contains("sessions v1, 2 records"))

        let lines = try readLines(good)
        let bad = scratch.file("bad.jsonl")
        try write(bad, lines[0] + "\n" + lines[1] + "\n{\"id\": 5}\n")
        let r = try runTool("stick", ["validate", good, bad])
        #expect(r.status == 1)
        #expect(r.stdoutText.contains("ok  \(good)"))
        #expect(r.stdoutText.contains("FAIL \(bad):3:"))
        #expect(!r.stdoutText.contains("FAIL \(good)"))
        #expect(r.stderr.contains("1 file(s) failed validation"))
    }

    @Test("stage usage errors exit 64 with a message and no output", arguments: ["score", "rank"])
    func usageErrors(tool: String) throws {
        let r = try runTool(tool, ["--anything", "x"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("Error:") && r.stderr.contains("Usage:"))
        #expect(r.stdout.isEmpty)
        let viaStick = try runTool("stick", [tool])
        #expect(viaStick.status == 64)
        #expect(viaStick.stderr.contains("Missing expected argument"))
    }

    @Test("gen-prompts -o - | stick validate -")
    func pipe() throws {
        let gen = try runTool("gen-prompts", ["demo", "--contexts", "no_conv", "-o", "-"])
        #expect(gen.status == 0, "\(gen.stderr)")
        let lines = gen.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.last == "")  // ends with a newline
        let nonEmpty = lines.filter { !$0.isEmpty }
        #expect(nonEmpty.count == 51)
        #expect(nonEmpty.first?.hasPrefix("{\"stick\":\"sessions\",\"version\":1") == true)
        let header = try JSONDecoder().decode(ArtifactHeader.self, from: Data(try #require(nonEmpty.first).utf8))
        #expect(header.stick == "sessions")
        #expect(nonEmpty.dropFirst().allSatisfy { $0.hasPrefix("{") && $0.contains("\"context\":\"no_conv\"") })
        // The summary goes to stderr, never into the data.
        #expect(gen.stderr.contains("50 sessions"))

        let validate = try runTool("stick", ["validate", "-"], stdin: gen.stdout)
        #expect(validate.status == 0, "\(validate.stdoutText) \(validate.stderr)")
        #expect(validate.stdoutText.hasPrefix("ok  -"))
        #expect(validate.stdoutText.contains("50 records"))

        // Compressed data on stdin is decompressed too; a broken stream fails.
        let scratch = try ScratchDirectory()
        let zst = scratch.file("s.jsonl.zst")
        try withOutput(zst) { out in try out.write(gen.stdout) }
        let compressed = try runTool("stick", ["validate", "-"], stdin: contents(zst))
        #expect(compressed.status == 0, "\(compressed.stdoutText) \(compressed.stderr)")
        #expect(compressed.stdoutText.contains("50 records"))
        var broken = gen.stdout
        broken.append(Data("{\"id\": 5}\n".utf8))
        let failing = try runTool("stick", ["validate", "-"], stdin: broken)
        #expect(failing.status == 1)
        #expect(failing.stdoutText.contains("FAIL -:52:"))
    }

    @Test("validate tells model configs from designs: shipped configs pass, a broken config fails naming the file")
    func validateModelConfigs() throws {
        let root = TestPaths.packageRoot.path
        let shipped = ["pipelines/models/dummy.yaml", "pipelines/models/leaderboard/Qwen3-8B.yaml", "pipelines/designs/demo.yaml"]
        let ok = try runTool("stick", ["validate"] + shipped.map { root + "/" + $0 })
        #expect(ok.status == 0, "\(ok.stdoutText)\(ok.stderr)")
        #expect(ok.stdoutText.contains("(model v1"), "\(ok.stdoutText)")
        #expect(ok.stdoutText.contains("(design v1"), "\(ok.stdoutText)")
        let scratch = try ScratchDirectory()
        let bad = scratch.file("bad-model.yaml")
        try "name: x\nbackend: openai\nmodel: m\nendpoints: [http://127.0.0.1:1/v1]\nanswers: {temperature: hot}\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let failing = try runTool("stick", ["validate", bad])
        #expect(failing.status == 1)
        #expect(failing.stdoutText.contains("FAIL \(bad)"), "\(failing.stdoutText)")
    }

    @Test("an input read from stdin is named in the output's provenance by the sha256 of its bytes")
    func stdinProvenanceIsHashed() throws {
        let scratch = try ScratchDirectory()
        let sessions = scratch.file("s.jsonl"), responses = scratch.file("r.jsonl.zst"), answers = scratch.file("a.jsonl")
        #expect(try runTool("gen-prompts", ["demo", "--personas", "0-3", "-q", "-o", sessions]).status == 0)
        let dummy = TestPaths.packageRoot.appendingPathComponent("pipelines/models/dummy.yaml").path
        #expect(try runTool("query", [sessions, "--model", dummy, "-q", "-o", responses]).status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: responses))
        let parsed = try runTool("parse", ["--sessions", sessions, "-", "-q", "-o", answers], stdin: bytes)
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let header = try JSONDecoder().decode(ArtifactHeader.self, from: Data(try #require(
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: answers)), as: UTF8.self).split(separator: "\n").first).utf8))
        let fromStdin = try #require(header.inputs.first { $0.role == "responses" })
        #expect(fromStdin.name == "-")
        #expect(fromStdin.sha256 == SHA256Hex.of(bytes), "the compressed bytes as they arrived, as for a file")
        let answerBytes = try Data(contentsOf: URL(fileURLWithPath: answers))
        let scored = try runTool("score", ["-", "--no-cfa", "-q", "-o", "-"], stdin: answerBytes)
        #expect(scored.status == 0, "\(scored.stderr)")
        #expect(scored.stdoutText.contains(SHA256Hex.of(answerBytes)), "score names its stdin input by its hash")
    }
}
