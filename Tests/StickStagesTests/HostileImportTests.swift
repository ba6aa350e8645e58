// `stick data import` and `stick data demo` against an attacker (issue: hardening): links in a
// dataset tarball or checkout that would leak a file (the environment, with its API keys) into
// LICENSE.reference, downloads that never end, grow without bound, redirect elsewhere or are killed,
// and `-o` naming something the command did not create.
import Foundation
import StickArtifacts
import StickDataImport
import StickDataset
import StickTestSupport
import Testing

/// A loopback HTTP server with hostile endpoints, serving the files of `directory` otherwise.
final class HostileHTTPServer: PythonServer {
    static let script = """
        import http.server, os, sys, time
        root, portfile = sys.argv[1], sys.argv[2]
        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *a): pass
            def empty(self, code, headers=()):
                self.send_response(code)
                for k, v in headers: self.send_header(k, v)
                self.send_header("Content-Length", "0"); self.end_headers()
            def do_GET(self):
                p, port = self.path, self.server.server_address[1]
                try:
                    if p == "/big":            # 5 MiB, announced
                        self.send_response(200); self.send_header("Content-Length", str(5 << 20)); self.end_headers()
                        for _ in range(80): self.wfile.write(b"\\0" * 65536)
                    elif p == "/unannounced":  # 5 MiB, no length
                        self.send_response(200); self.send_header("Connection", "close"); self.end_headers()
                        for _ in range(80): self.wfile.write(b"\\0" * 65536)
                        self.close_connection = True
                    elif p == "/slow":         # a byte every 0.2 s, forever
                        self.send_response(200); self.send_header("Content-Length", str(10 ** 9)); self.end_headers()
                        while True:
                            self.wfile.write(b"x"); self.wfile.flush(); time.sleep(0.2)
                    elif p.startswith("/redirect-host/"):
                        self.empty(302, [("Location", "http://localhost:%d/%s" % (port, p[len("/redirect-host/"):]))])
                    elif p == "/redirect-file":
                        self.empty(302, [("Location", "file:///etc/passwd")])
                    else:
                        f = os.path.join(root, p.lstrip("/"))
                        if os.path.isfile(f):
                            data = open(f, "rb").read()
                            self.send_response(200); self.send_header("Content-Length", str(len(data))); self.end_headers()
                            self.wfile.write(data)
                        else:
                            self.empty(404)
                except (BrokenPipeError, ConnectionResetError):
                    pass
        s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        s.daemon_threads = True
        open(portfile, "w").write(str(s.server_address[1]))
        s.serve_forever()
        """

    init(directory: String) throws {
        try super.init(arguments: ["-c", Self.script, directory, directory + "/.port"], portFile: directory + "/.port")
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
}

/// Entries of the system temporary directory ending in `.tmp` (where URLSession's downloads went).
private func systemTemporaryFiles() -> Set<String> {
    Set(((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []).filter { $0.hasSuffix(".tmp") })
}

/// Staging directories left in `directory`.
private func stagingLeft(_ directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(".stick-") }
}

@Suite struct HostileImportTests {
    static let canary = "sk-canary-\(UUID().uuidString)"

    /// Whether any file below `root` contains `needle`.
    func anyFileContains(_ root: String, _ needle: String) -> Bool {
        guard let e = FileManager.default.enumerator(atPath: root) else { return false }
        while let rel = e.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: root + "/" + rel),
               String(decoding: data, as: UTF8.self).contains(needle) { return true }
        }
        return false
    }

    @Test("a dataset tarball whose LICENSE is a link (a chain out, or a link inside) leaks nothing",
          arguments: ["chain-to-environ", "absolute-environ", "link-inside"])
    func licenseLinkInTarball(kind: String) throws {
        guard let reference = TestPaths.referenceData else {
            print("skipped: no reference data (../shared/reference or $STICK_REFERENCE_DATA)")
            return
        }
        let scratch = try ScratchDirectory()
        let tarball = scratch.file("vs.tar.gz")
        try runPython(tarHelpers + """
            src, dst, kind = sys.argv[1], sys.argv[2], sys.argv[3]
            with tarfile.open(dst, "w:gz", format=tarfile.PAX_FORMAT) as tf:
                for dirpath, dirs, files in os.walk(src):
                    for f in sorted(files):
                        full = os.path.join(dirpath, f)
                        rel = os.path.relpath(full, src)
                        if rel != "LICENSE":
                            tf.add(full, arcname="value_stability/" + rel)
                if kind == "chain-to-environ":
                    sym(tf, "value_stability/d/l", "..")
                    # Lexically inside (30 names, then 30 '..'); really 30 levels above the root.
                    sym(tf, "value_stability/LICENSE", "d/l/" * 30 + "../" * 30 + "proc/self/environ")
                elif kind == "absolute-environ":
                    sym(tf, "value_stability/LICENSE", "/proc/self/environ")
                else:
                    sym(tf, "value_stability/LICENSE", "personas/real_world_people/personas.json")
            """, [reference, tarball, kind])
        let out = scratch.file("dataset")
        var environment = ProcessInfo.processInfo.environment
        environment["OPENAI_API_KEY"] = Self.canary
        let r = try runTool("stick", ["data", "import", tarball, "-o", out], environment: environment)
        #expect(r.status == 1, "\(r.stderr)")
        let reason = kind == "link-inside" ? "LICENSE: is a link; links are not followed" : "outside the target directory"
        #expect(r.stderr.contains(reason), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(!anyFileContains(scratch.path, Self.canary))
        #expect(stagingLeft(scratch.path) == [])
    }

    @Test("importing a checkout never follows its links", arguments: ["license-out", "directory-out"])
    func linksInCheckout(kind: String) throws {
        guard let reference = TestPaths.referenceData else {
            print("skipped: no reference data (../shared/reference or $STICK_REFERENCE_DATA)")
            return
        }
        let scratch = try ScratchDirectory()
        let checkout = scratch.file("checkout")
        try shell("cp -R '\(reference)' '\(checkout)'")
        let secret = scratch.file("secret.txt")
        try Data(Self.canary.utf8).write(to: URL(fileURLWithPath: secret))
        if kind == "license-out" {
            try FileManager.default.removeItem(atPath: checkout + "/LICENSE")
            try FileManager.default.createSymbolicLink(atPath: checkout + "/LICENSE", withDestinationPath: secret)
        } else {
            // A data directory elsewhere, reached through a link: its files are not read.
            try FileManager.default.moveItem(atPath: checkout + "/data", toPath: scratch.file("data-elsewhere"))
            try FileManager.default.createSymbolicLink(atPath: checkout + "/data", withDestinationPath: scratch.file("data-elsewhere"))
        }
        let out = scratch.file("dataset")
        let r = try runTool("stick", ["data", "import", checkout, "-o", out])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains(kind == "license-out" ? "LICENSE: is a link" : "'data' on its path is a link"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(!anyFileContains(out, Self.canary))
    }

    @Test("-o never removes what the command did not create", arguments: ["demo", "import"])
    func outputThatExists(command: String) throws {
        let scratch = try ScratchDirectory()
        func run(_ output: String, force: Bool = false) throws -> ProcessResult {
            var args = command == "demo" ? ["data", "demo", "-o", output] : ["data", "import", scratch.file("missing-source"), "-o", output]
            if force { args.append("--force") }
            return try runTool("stick", args)
        }
        // A file: refused, kept; replaced only with --force (demo: the import has no source to write).
        let file = scratch.file("notes.txt")
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: file))
        let refused = try run(file)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is a file, not a dataset directory; use --force"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "precious\n")
        // A directory of other files: refused even with --force.
        let other = scratch.file("other")
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: other + "/mine.txt"))
        let forcedOther = try run(other, force: true)
        #expect(forcedOther.status == 1)
        #expect(forcedOther.stderr.contains("holds files that are not a stick dataset"), "\(forcedOther.stderr)")
        #expect(try String(contentsOfFile: other + "/mine.txt", encoding: .utf8) == "mine\n")
        // A link: refused even with --force; its target untouched.
        let link = scratch.file("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: other)
        let forcedLink = try run(link, force: true)
        #expect(forcedLink.status == 1)
        #expect(forcedLink.stderr.contains("is a symbolic link"), "\(forcedLink.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: other) == ["mine.txt"])

        guard command == "demo" else { return }
        let forced = try run(file, force: true)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(FileManager.default.fileExists(atPath: file + "/dataset.json"))
        // An existing dataset: refused without --force, replaced with it.
        #expect(try run(file).status == 1)
        #expect(try run(file, force: true).status == 0)
        #expect(stagingLeft(scratch.path) == [])
    }

    @Test("downloads: size caps, redirects, plain-http warning, timeouts, redacted credentials")
    func hostileDownloads() throws {
        let scratch = try ScratchDirectory()
        let server = try HostileHTTPServer(directory: scratch.path)
        let out = scratch.file("dataset")
        let tmpBefore = systemTemporaryFiles()
        func importURL(_ url: String, _ extra: [String] = []) throws -> ProcessResult {
            try runTool("stick", ["data", "import", url, "-o", out] + extra)
        }

        let announced = try importURL(server.url("/big"), ["--max-bytes", "1M"])
        #expect(announced.status == 1)
        #expect(announced.stderr.contains("warning: downloading over plain http:// without --sha256"), "\(announced.stderr)")
        #expect(announced.stderr.contains("over the limit of 1048576"), "\(announced.stderr)")

        let unannounced = try importURL(server.url("/unannounced"), ["--max-bytes", "1M"])
        #expect(unannounced.status == 1)
        #expect(unannounced.stderr.contains("exceeds the limit of 1048576 bytes"), "\(unannounced.stderr)")

        let toFile = try importURL(server.url("/redirect-file"))
        #expect(toFile.status == 1)
        #expect(toFile.stderr.contains("download failed") || toFile.stderr.contains("redirect"), "\(toFile.stderr)")
        #expect(!toFile.stderr.contains("root:x:0:0"))

        let started = Date()
        let slow = try importURL(server.url("/slow"), ["--timeout", "2"])
        #expect(slow.status == 1)
        #expect(Date().timeIntervalSince(started) < 40, "the timeout did not end the download")

        let credentials = try importURL("http://alice:hunter2@127.0.0.1:\(server.port)/missing.tar.gz?token=s3cr3t")
        #expect(credentials.status == 1)
        #expect(credentials.stderr.contains("HTTP 404"), "\(credentials.stderr)")
        #expect(!credentials.stderr.contains("hunter2") && !credentials.stderr.contains("s3cr3t"), "\(credentials.stderr)")

        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(stagingLeft(scratch.path) == [])
        #expect(systemTemporaryFiles().subtracting(tmpBefore).isEmpty, "left in the temporary directory: \(systemTemporaryFiles().subtracting(tmpBefore))")

        // A redirect to another host is followed, and said.
        guard let reference = TestPaths.referenceData else { return }
        try shell("tar -czf '\(scratch.path)/vs.tar.gz' -C '\(reference)' .")
        let sha = try SHA256Hex.ofFile(scratch.file("vs.tar.gz")).sha256
        let redirected = try importURL(server.url("/redirect-host/vs.tar.gz"), ["--sha256", sha])
        #expect(redirected.status == 0, "\(redirected.stderr)")
        #expect(redirected.stderr.contains("redirects to http://localhost:\(server.port)/vs.tar.gz"), "\(redirected.stderr)")
        #expect(!redirected.stderr.contains("warning: downloading over plain http"))
        #expect(FileManager.default.fileExists(atPath: out + "/dataset.json"))
    }

    @Test("a killed download leaves its staging beside the output, and the next import removes it")
    func killedDownload() throws {
        let scratch = try ScratchDirectory()
        let server = try HostileHTTPServer(directory: scratch.path)
        let parent = scratch.file("data")
        let process = try BackgroundProcess(TestPaths.binaries.appendingPathComponent("stick").path,
                                            ["data", "import", server.url("/slow"), "-o", parent + "/vs"])
        var staged: [String] = []
        for _ in 0..<300 where staged.isEmpty {
            Thread.sleep(forTimeInterval: 0.02)
            staged = stagingLeft(parent).filter { FileManager.default.fileExists(atPath: parent + "/" + $0 + "/download") }
        }
        Thread.sleep(forTimeInterval: 0.3)
        process.stop()
        try #require(staged.count == 1, "no staging directory with a download appeared in \(parent)")

        let rerun = try runTool("stick", ["data", "import", server.url("/big"), "-o", parent + "/vs", "--max-bytes", "1K"])
        #expect(rerun.status == 1)
        #expect(rerun.stderr.contains("removed \(parent)/\(staged[0]), left by an interrupted import"), "\(rerun.stderr)")
        #expect(stagingLeft(parent) == [])
    }
}
