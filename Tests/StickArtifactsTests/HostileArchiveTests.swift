// Archives written by an attacker (issue: hardening): links that resolve out of the target through
// other links or through hard-linked directories, manifest members shipped as links, hard-link
// amplification, and the staging that a killed unpack leaves behind. Each test builds the attack with
// Python's tarfile and asserts that nothing lands outside (or in) the target and the error says why.
import Foundation
import StickArtifacts
import StickTestSupport
import Testing


@Suite struct HostileArchiveTests {
    /// Extracts `archive` into `scratch/out` through the library and through `stick unpack`, expecting
    /// both to refuse with `reason` in the message, and nothing new anywhere in `scratch` (but `out`,
    /// left empty) nor in `victim`.
    func expectRefused(_ archive: String, scratch: ScratchDirectory, reason: String, victim: String? = nil,
                       limits: ExtractionLimits = .init(), requireManifest: Bool = false,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let outside = { treeEntries(scratch.path).filter { $0 != "out" && !$0.hasPrefix("out/") } }
        let before = outside()
        let victimBefore = victim.map(treeEntries) ?? []
        let target = scratch.file("out")
        let error = #expect(throws: StickError.self, sourceLocation: sourceLocation) {
            try Archives.extract(archive, into: target, limits: limits, requireManifest: requireManifest)
        }
        #expect(error?.description.contains(reason) == true, "\(error?.description ?? "no error")", sourceLocation: sourceLocation)
        #expect(treeEntries(target) == [], "the target holds \(treeEntries(target))", sourceLocation: sourceLocation)
        #expect(outside() == before, sourceLocation: sourceLocation)
        if let victim { #expect(treeEntries(victim) == victimBefore, "written outside: \(treeEntries(victim))", sourceLocation: sourceLocation) }

        var args = ["unpack", archive, "-C", target, "--max-member-size", String(limits.maxMemberSize),
                    "--max-total-size", String(limits.maxTotalSize)]
        if !requireManifest { args.append("--no-verify") }
        let cli = try runTool("stick", args)
        #expect(cli.status == 1, sourceLocation: sourceLocation)
        #expect(cli.stderr.contains(reason), "\(cli.stderr)", sourceLocation: sourceLocation)
        #expect(!cli.stderr.contains("verified"), sourceLocation: sourceLocation)
        #expect(treeEntries(target) == [], sourceLocation: sourceLocation)
        if let victim { #expect(treeEntries(victim) == victimBefore, sourceLocation: sourceLocation) }
    }

    @Test("a hard link to a directory holding a relative link cannot carry a write out of the target")
    func hardLinkToDirectoryWithLink() throws {
        let scratch = try ScratchDirectory()
        let victim = scratch.file("victim")
        try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
        let archive = scratch.file("evil.tar")
        // p0/…/p23/l climbs 24 levels: inside the archive seen from p23, but from the hard-linked copy
        // `h` (one level deep) it climbs to / and then down to the victim.
        try runPython(tarHelpers + """
            path, victim = sys.argv[1], sys.argv[2]
            deep = "/".join("p%d" % i for i in range(24))
            with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tf:
                mkdir(tf, deep)
                sym(tf, deep + "/l", "../" * 24 + victim.lstrip("/"))
                hard(tf, "h", deep)
                reg(tf, "h/l/PWNED.txt")
            """, [archive, victim])
        try expectRefused(archive, scratch: scratch, reason: "not an earlier regular file", victim: victim)
        #expect(!FileManager.default.fileExists(atPath: victim + "/PWNED.txt"))
    }

    @Test("links are judged by resolving them through the archive's own links, not lexically",
          arguments: ["chain", "late-parent", "through-link", "loop"])
    func symlinkChains(kind: String) throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("evil.tar")
        try runPython(tarHelpers + """
            path, kind = sys.argv[1], sys.argv[2]
            with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tf:
                reg(tf, "harmless.txt", b"fine\\n")
                if kind == "chain":
                    # d/l is the root itself; d/l/d/l/../.. is then above it.
                    sym(tf, "d/l", "..")
                    sym(tf, "esc", "d/l/d/l/" + "../" * 2 + "etc/passwd")
                elif kind == "late-parent":
                    # a → b/../x is inside while b is a directory; then b becomes a link to the root
                    # (through d, itself harmless), and a climbs above it. Only a final check sees it.
                    sym(tf, "a", "b/../x")
                    sym(tf, "d", ".")
                    sym(tf, "b", "d")
                elif kind == "through-link":
                    sym(tf, "d", ".")
                    reg(tf, "d/inside.txt")
                elif kind == "loop":
                    sym(tf, "x", "y")
                    sym(tf, "y", "x/z")
            """, [archive, kind])
        let reason = kind == "through-link" ? "lies below the link" : "resolves outside the target directory"
        try expectRefused(archive, scratch: scratch, reason: reason)
    }

    @Test("links that resolve inside the archive are still extracted")
    func harmlessLinkChains() throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("ok.tar")
        try runPython(tarHelpers + """
            with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as tf:
                reg(tf, "a/b/file.txt", b"data\\n")
                sym(tf, "a/up", "..")
                sym(tf, "via", "a/up/a/b/file.txt")
                hard(tf, "copy", "a/b/file.txt")
            """, [archive])
        let target = scratch.file("out")
        let extracted = try Archives.extract(archive, into: target, requireManifest: false)
        #expect(extracted == ["a/b/file.txt", "a/up", "via", "copy"])
        #expect(try String(contentsOfFile: target + "/via", encoding: .utf8) == "data\n")
        #expect(try String(contentsOfFile: target + "/copy", encoding: .utf8) == "data\n")
        #expect(treeEntries(target).allSatisfy { !$0.hasPrefix(".stick-") })
    }

    @Test("a manifest member shipped as a link (or a hard link) is refused, however its target hashes",
          arguments: ["symlink", "hardlink"])
    func manifestMemberAsLink(kind: String) throws {
        let scratch = try ScratchDirectory()
        let source = scratch.file("run")
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        // Two members with the same bytes: the link to one matches the other's listed hash.
        try Data("same\n".utf8).write(to: URL(fileURLWithPath: source + "/a.txt"))
        try Data("same\n".utf8).write(to: URL(fileURLWithPath: source + "/b.txt"))
        let packed = scratch.file("run.tar")
        try Archives.pack(directory: source, to: packed)
        let archive = scratch.file("evil.tar")
        try runPython(tarHelpers + """
            src, dst, kind = sys.argv[1], sys.argv[2], sys.argv[3]
            with tarfile.open(src) as old, tarfile.open(dst, "w", format=tarfile.PAX_FORMAT) as tf:
                for m in old.getmembers():
                    if m.name == "b.txt":
                        (sym if kind == "symlink" else hard)(tf, "b.txt", "a.txt")
                    else:
                        tf.addfile(m, old.extractfile(m))
            """, [packed, archive, kind])
        let entries = try Archives.entries(of: archive)
        #expect(entries.map(\.path) == ["MANIFEST.json", "a.txt", "b.txt"])
        #expect(entries.last?.type == (kind == "symlink" ? .symlink : .hardlink))
        try expectRefused(archive, scratch: scratch, reason: "holds regular files only", requireManifest: true)
        // Read in place, the member is refused too rather than read as empty (or as another member).
        #expect(throws: StickError.self) { try Inputs.readAll(archive + "#b.txt") }
    }

    @Test("hard links count against the size limits: amplification is refused")
    func hardLinkAmplification() throws {
        let scratch = try ScratchDirectory()
        // (a) Directories doubling per level through hard links: refused at the first directory link.
        let doubling = scratch.file("doubling.tar.gz")
        try runPython(tarHelpers + """
            with tarfile.open(sys.argv[1], "w:gz", format=tarfile.PAX_FORMAT) as tf:
                reg(tf, "d0/f", b"\\0" * (1 << 20))
                for i in range(1, 12):
                    hard(tf, "d%d/a" % i, "d%d" % (i - 1))
                    hard(tf, "d%d/b" % i, "d%d" % (i - 1))
            """, [doubling])
        #expect((try FileManager.default.attributesOfItem(atPath: doubling)[.size] as? Int ?? .max) < 4096)
        try expectRefused(doubling, scratch: scratch, reason: "not an earlier regular file")

        // (b) One 1 MiB file hard-linked 100 times expands to 101 MiB: over a 10 MiB total.
        let many = scratch.file("many.tar.gz")
        try runPython(tarHelpers + """
            with tarfile.open(sys.argv[1], "w:gz", format=tarfile.PAX_FORMAT) as tf:
                reg(tf, "f", b"\\0" * (1 << 20))
                for i in range(100):
                    hard(tf, "l%d" % i, "f")
            """, [many])
        try expectRefused(many, scratch: scratch, reason: "expands to more than 10485760 bytes",
                          limits: ExtractionLimits(maxMemberSize: 1 << 30, maxTotalSize: 10 << 20))
        // Within the limit, the same archive extracts: every link is a full copy.
        let target = scratch.file("ok")
        let paths = try Archives.extract(many, into: target, limits: ExtractionLimits(maxTotalSize: 200 << 20), requireManifest: false)
        #expect(paths.count == 101)
        #expect(try FileManager.default.attributesOfItem(atPath: target + "/l99")[.size] as? Int == 1 << 20)
    }

    @Test("the staging left by a killed unpack is removed by the next run, which says so")
    func killedUnpackStagingIsCleaned() throws {
        let scratch = try ScratchDirectory()
        let source = scratch.file("big")
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        // 8 × 64 MiB of zeros: small as .tar.zst, slow enough to unpack that a kill lands in the middle.
        let zeros = Data(count: 64 << 20)
        for i in 0..<8 { try zeros.write(to: URL(fileURLWithPath: source + "/part\(i).bin")) }
        let archive = scratch.file("big.tar.zst")
        try Archives.pack(directory: source, to: archive)
        try FileManager.default.removeItem(atPath: source)

        let target = scratch.file("out")
        let process = try BackgroundProcess(TestPaths.binaries.appendingPathComponent("stick").path, ["unpack", archive, "-C", target])
        // Wait until the staging directory holds data, then kill -9.
        var staged: String?
        for _ in 0..<400 where staged == nil {
            Thread.sleep(forTimeInterval: 0.01)
            staged = treeEntries(target).first { $0.hasPrefix(".stick-unpack-") && $0.hasSuffix(".bin") }
        }
        let pid = process.pid
        process.stop()
        try #require(staged != nil, "the unpack finished before it could be killed")
        let leftover = try #require(treeEntries(target).first { $0.hasPrefix(".stick-unpack-") && !$0.contains("/") })
        #expect(leftover.contains("-\(pid)-"))

        // A staging directory of a live process (this one) is left alone.
        let live = try StagingDirectory(in: target, purpose: "unpack")
        let rerun = try runTool("stick", ["unpack", archive, "-C", target])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("removed \(target)/\(leftover), left by an interrupted unpack"), "\(rerun.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target + "/" + leftover))
        #expect(FileManager.default.fileExists(atPath: live.path))
        live.remove()
        #expect(treeEntries(target).filter { !$0.contains("/") } == ["MANIFEST.json"] + (0..<8).map { "part\($0).bin" })
    }
}
