// `stick pipeline` against hostile input: each test builds the attack — a `--set` value or var that
// tries to run a command, an output that points outside the pipeline, a Makefile rule smuggled in
// through a description or a value, two runs of one pipeline at once — and checks it fails safely.
// The attacks go through the built `stick` executable, as a user (or a script) would run them.
import Foundation
import StickArtifacts
import StickPipeline
import StickTestSupport
import Testing

private func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

/// `stick ARGUMENTS…` run in `directory`.
private func stick(_ arguments: [String], in directory: String) throws -> ProcessResult {
    try runTool("stick", arguments, currentDirectory: directory)
}

/// The files an injected command would have created (every payload touches `PWNED…`).
private func markers(in directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("PWNED") }.sorted()
}

/// `s` as a YAML double-quoted scalar, so `--set v=…` gets exactly `s`.
private func yamlString(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
        switch c {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default: out.unicodeScalars.append(c)
        }
    }
    return out + "\""
}

/// Values that run `touch PWNED…` when spliced into a command unquoted, and some that are merely awkward.
private let payloads = [
    "$(touch PWNED1)",
    "`touch PWNED2`",
    "x'; touch PWNED3; echo '",
    "x\"; touch PWNED4; echo \"",
    "x\ntouch PWNED5",
    "x && touch PWNED6",
    "x | touch PWNED7",
    "x > PWNED8",
    "x; touch PWNED9 #",
    "'\"'\"$(touch PWNED10)\"'\"'",
    "\\'; touch PWNED11; #",
    "x\r\ntouch PWNED12",
    "a\\",
    "it's $HOME ~ * ? [a] {b,c} !x",
    " leading and trailing ",
    "tab\there",
]

/// Pipeline security: values in commands.
@Suite struct PipelineCommandInjectionTests {
    /// One stage per place a value can take in a command: plain, inside "…", inside '…', inside "$(…)".
    static let spec = """
        stick: pipeline
        version: 1
        vars:
          v: safe
        stages:
          plain:
            cmd: printf '%s\\n' ${v} > plain.txt
            outs: [plain.txt]
          double:
            cmd: printf '%s\\n' "v=${v}" > double.txt
            outs: [double.txt]
          single:
            cmd: printf '%s\\n' 'v=${v}' > single.txt
            outs: [single.txt]
          substitution:
            cmd: printf '%s\\n' "$(printf '%s' ${v})" > substitution.txt
            outs: [substitution.txt]
        """

    @Test("a --set value with $( ), backquotes, quotes, newlines, && | > ; arrives as one literal argument and runs nothing")
    func setValues() throws {
        let dir = try ScratchDirectory()
        try writeFile(Self.spec, to: dir.file("p.yaml"))
        for payload in payloads {
            let r = try stick(["pipeline", "run", "p.yaml", "-q", "--set", "v=" + yamlString(payload)], in: dir.path)
            #expect(r.status == 0, "\(payload.debugDescription): \(r.stderr)")
            #expect(markers(in: dir.path).isEmpty, "\(payload.debugDescription) ran a command")
            #expect(readFile(dir.file("plain.txt")) == payload + "\n", "\(payload.debugDescription)")
            #expect(readFile(dir.file("double.txt")) == "v=" + payload + "\n", "\(payload.debugDescription)")
            #expect(readFile(dir.file("single.txt")) == "v=" + payload + "\n", "\(payload.debugDescription)")
            #expect(readFile(dir.file("substitution.txt")) == payload + "\n", "\(payload.debugDescription)")
        }
    }

    @Test("--set 'seed=$(touch x)' and a list item holding ';' stay data, each list item quoted on its own")
    func plainSetAndLists() throws {
        let dir = try ScratchDirectory()
        try writeFile("""
            stick: pipeline
            version: 1
            vars:
              seed: 1
              models: [dummy]
            stages:
              seed:
                cmd: printf '%s\\n' ${seed} > seed.txt
                outs: [seed.txt]
              models:
                cmd: printf '%s\\n' runs/${models}/metrics.json > models.txt
                outs: [models.txt]
            """, to: dir.file("p.yaml"))
        var r = try stick(["pipeline", "run", "p.yaml", "-q", "--set", "seed=$(touch PWNED)", "--set", "models=[dummy; touch PWNED]"], in: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(markers(in: dir.path).isEmpty)
        #expect(readFile(dir.file("seed.txt")) == "$(touch PWNED)\n")
        #expect(readFile(dir.file("models.txt")) == "runs/dummy; touch PWNED/metrics.json\n")

        r = try stick(["pipeline", "run", "p.yaml", "-q", "--set", "models=[a, \"b c\", \"d'e\", \"$(touch PWNED)\", \"f\\ng\"]"], in: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(markers(in: dir.path).isEmpty)
        #expect(readFile(dir.file("models.txt")) == "runs/a/metrics.json\nruns/b c/metrics.json\nruns/d'e/metrics.json\n"
            + "runs/$(touch PWNED)/metrics.json\nruns/f\ng/metrics.json\n")
    }

    @Test("values made of safe characters are inserted as they are; others are quoted")
    func safeValuesUnchanged() throws {
        let dir = try ScratchDirectory()
        let path = dir.file("p.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            vars:
              v: AZaz09/._-@+=,:%
              models: [a, b]
            stages:
              s:
                cmd: run ${v} "${v}" '${v}' x/${models}.json
            """, to: path)
        var spec = try PipelineSpec.load(path)
        #expect(spec.stages[0].commands == ["run AZaz09/._-@+=,:% \"AZaz09/._-@+=,:%\" 'AZaz09/._-@+=,:%' x/a.json x/b.json"])
        spec = try PipelineSpec.load(path, overrides: [VarOverride(parsing: "v=a b"), VarOverride(parsing: "models=[c d, e]")])
        #expect(spec.stages[0].commands == ["run 'a b' \"\"'a b'\"\" 'a b' x/'c d'.json x/e.json"])
    }

    @Test("the shipped demo pipeline gives exactly the commands it gave before quoting")
    func demoCommandsUnchanged() throws {
        let spec = try PipelineSpec.load(TestPaths.packageRoot.appendingPathComponent("pipelines/demo.yaml").path)
        let models = ["simulator-0", "simulator-0.5", "simulator-0.9", "dummy"]
        var expected: [String: [String]] = [
            "prompts": ["stick gen-prompts demo -o demo-run/sessions.jsonl.zst"],
            "rank": ["stick rank demo-run/simulator-0/metrics.json demo-run/simulator-0.5/metrics.json demo-run/simulator-0.9/metrics.json "
                + "demo-run/dummy/metrics.json --sort \"Cardinal (Score)\" -o demo-run/leaderboard.json --csv demo-run/leaderboard.csv "
                + "--markdown demo-run/leaderboard.md"],
            "report": ["stick report demo-run/leaderboard.json -o demo-run/report.html"],
            "summary": ["cat demo-run/leaderboard.md", "echo \"report: demo-run/report.html\""],
        ]
        for m in models {
            expected["query@\(m)"] = ["stick query demo-run/sessions.jsonl.zst --model pipelines/models/\(m).yaml -o demo-run/\(m)/responses.jsonl.zst"]
            expected["parse@\(m)"] = ["stick parse --sessions demo-run/sessions.jsonl.zst demo-run/\(m)/responses.jsonl.zst --on-no-match seeded "
                + "-o demo-run/\(m)/answers.jsonl.zst"]
            expected["score@\(m)"] = ["stick score demo-run/\(m)/answers.jsonl.zst -o demo-run/\(m)/metrics.json --values demo-run/\(m)/value-scores.csv"]
            // The archive carries what `stick audit` needs beside the run directory.
            expected["pack@\(m)"] = ["stick pack demo-run/\(m) --add demo-run/sessions.jsonl.zst --add pipelines/models/\(m).yaml=model.yaml "
                + "--add pipelines/designs/demo.yaml=design.yaml -o demo-run/\(m).tar.zst"]
        }
        #expect(Dictionary(uniqueKeysWithValues: spec.stages.map { ($0.name, $0.commands) }) == expected)
    }

    @Test("a here-document body gets the value escaped; a line break or a delimiter line from a value is refused")
    func hereDocuments() throws {
        let dir = try ScratchDirectory()
        try writeFile("""
            stick: pipeline
            version: 1
            vars:
              v: safe
            stages:
              open:
                cmd: |
                  cat > open.txt <<EOF
                  v=${v}
                  EOF
                outs: [open.txt]
              quoted:
                cmd: |
                  cat > quoted.txt <<'EOF'
                  v=${v}
                  EOF
                outs: [quoted.txt]
            """, to: dir.file("p.yaml"))
        for payload in payloads where !payload.contains(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let r = try stick(["pipeline", "run", "p.yaml", "-q", "--set", "v=" + yamlString(payload)], in: dir.path)
            #expect(r.status == 0, "\(payload.debugDescription): \(r.stderr)")
            #expect(markers(in: dir.path).isEmpty, "\(payload.debugDescription) ran a command")
            #expect(readFile(dir.file("open.txt")) == "v=" + payload + "\n", "\(payload.debugDescription)")
            #expect(readFile(dir.file("quoted.txt")) == "v=" + payload + "\n", "\(payload.debugDescription)")
        }
        // A line break would let the value end the document and run what follows as commands.
        let r = try stick(["pipeline", "run", "p.yaml", "-q", "--set", "v=" + yamlString("x\nEOF\ntouch PWNED")], in: dir.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("p.yaml:"), "\(r.stderr)")
        #expect(r.stderr.contains("the value of ${v} holds a line break"), "\(r.stderr)")
        #expect(markers(in: dir.path).isEmpty)

        // Even a safe value may not make a line equal to the delimiter.
        try writeFile("""
            stick: pipeline
            version: 1
            vars:
              v: safe
            stages:
              s:
                cmd: |
                  cat > s.txt <<EOF
                  ${v}
                  touch PWNED
                  EOF
                outs: [s.txt]
            """, to: dir.file("q.yaml"))
        let q = try stick(["pipeline", "run", "q.yaml", "-q", "--set", "v=EOF"], in: dir.path)
        #expect(q.status != 0)
        #expect(q.stderr.contains("makes a line equal to the here-document delimiter 'EOF'"), "\(q.stderr)")
        #expect(markers(in: dir.path).isEmpty)
    }

    @Test("where a value cannot be quoted (backquotes, ${…}, $((…)), after a $ or a case in $(…)) an unsafe one is refused; a safe one is fine")
    func unquotablePlaces() throws {
        let dir = try ScratchDirectory()
        try writeFile("""
            stick: pipeline
            version: 1
            vars:
              b: safe
              p: safe
              n: 2
              c: safe
            stages:
              case:
                cmd: echo "$(case x in x) printf '%s' ${c};; esac)" > c.txt
                outs: [c.txt]
              backquotes:
                cmd: echo `echo ${b}` > b.txt
                outs: [b.txt]
              parameter:
                cmd: echo \\${UNSET_VARIABLE:-${p}} > p.txt
                outs: [p.txt]
              arithmetic:
                cmd: echo $((1 + ${n})) > a.txt
                outs: [a.txt]
            """, to: dir.file("p.yaml"))
        var r = try stick(["pipeline", "run", "p.yaml", "-q"], in: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(readFile(dir.file("b.txt")) == "safe\n" && readFile(dir.file("p.txt")) == "safe\n" && readFile(dir.file("a.txt")) == "3\n")
        #expect(readFile(dir.file("c.txt")) == "safe\n")

        r = try stick(["pipeline", "run", "p.yaml", "-q", "--set", "b=$(touch PWNED)"], in: dir.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("p.yaml:13: stage 'backquotes', cmd: the value of ${b} cannot be quoted inside backquotes"), "\(r.stderr)")
        r = try stick(["pipeline", "run", "p.yaml", "-q", "--set", "p=x}; touch PWNED; echo {"], in: dir.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("stage 'parameter', cmd: the value of ${p} cannot be quoted"), "\(r.stderr)")
        r = try stick(["pipeline", "run", "p.yaml", "-q", "--set", "n=1)); touch PWNED; echo $((1"], in: dir.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("the value of ${n} cannot be quoted"), "\(r.stderr)")
        // A case pattern's `)` is not the end of the $( ): rather than guess where the quotes are, refuse.
        r = try stick(["pipeline", "run", "p.yaml", "-q", "--set", "c=$(touch PWNED)"], in: dir.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("the value of ${c} cannot be quoted after a `case` inside $(…)"), "\(r.stderr)")
        #expect(markers(in: dir.path).isEmpty)

        try writeFile("stick: pipeline\nversion: 1\nvars: {v: HOME}\nstages:\n  s:\n    cmd: echo $${v} > s.txt\n", to: dir.file("d.yaml"))
        r = try stick(["pipeline", "run", "d.yaml", "-q", "--set", "v='x; touch PWNED'"], in: dir.path)
        #expect(r.stderr.contains("cannot be quoted right after a `$`"), "\(r.stderr)")
        #expect(markers(in: dir.path).isEmpty)
    }

    @Test("nested and mixed places: $( ) inside \"…\", subshells, comments, here-documents before a command, <<-, case")
    func mixedPlaces() throws {
        let dir = try ScratchDirectory()
        // Each command writes o.txt; the expected content given the value. The author's own quotes, comments and
        // here-documents around the value must not shift where the lexer thinks the value stands.
        let cases: [(cmd: String, expected: (String) -> String)] = [
            ("printf '%s\\n' \"$(printf '%s' \"${v}\")\" > o.txt", { $0 + "\n" }),
            ("printf '%s\\n' \"$(printf '%s' \"$(printf '%s' ${v})\")\" > o.txt", { $0 + "\n" }),
            ("printf '%s\\n' '${v}'\"${v}\"${v} > o.txt", { $0 + $0 + $0 + "\n" }),
            ("( printf '%s\\n' ${v} ) > o.txt; { printf '%s\\n' ${v}; } >> o.txt", { $0 + "\n" + $0 + "\n" }),
            ("# don't ${v}\nprintf '%s\\n' ${v} > o.txt", { $0 + "\n" }),
            ("cat > o.txt <<EOF\ndon't \"${v}\n\\$HOME\nEOF\nprintf '%s\\n' \"${v}\" >> o.txt", { "don't \"" + $0 + "\n$HOME\n" + $0 + "\n" }),
            ("cat <<A > o.txt; cat <<'B' >> o.txt\n${v}\nA\n'${v}'\nB\nprintf '%s\\n' ${v} >> o.txt", { $0 + "\n'" + $0 + "'\n" + $0 + "\n" }),
            ("cat > o.txt <<-EOF\n\t${v}\n\tEOF\nprintf '%s\\n' ${v} >> o.txt", { $0 + "\n" + $0 + "\n" }),
            ("case x in x) printf '%s\\n' ${v} > o.txt;; esac", { $0 + "\n" }),
            ("printf '%s\\n' \\\" \"a\\\"b ${v}\" \\' > o.txt", { "\"\na\"b " + $0 + "\n'\n" }),
            ("x=`echo hi`; n=$((1+2)); printf '%s\\n' \"$x$n\" \\\n ${v} > o.txt", { "hi3\n" + $0 + "\n" }),
        ]
        let values = ["$(touch PWNED1)", "x'; touch PWNED2; echo '", "x\"; touch PWNED3; echo \"", "`touch PWNED4`", "a b\\",
                      " ) ; touch PWNED5 ; ( "]
        for (i, c) in cases.enumerated() {
            let spec = "p\(i).yaml"
            try writeFile("stick: pipeline\nversion: 1\nvars:\n  v: x\nstages:\n  s:\n    cmd: \(yamlString(c.cmd))\n    outs: [o.txt]\n",
                      to: dir.file(spec))
            for value in values {
                let r = try stick(["pipeline", "run", spec, "-q", "--set", "v=" + yamlString(value)], in: dir.path)
                #expect(r.status == 0, "\(c.cmd.debugDescription) with \(value.debugDescription): \(r.stderr)")
                #expect(markers(in: dir.path).isEmpty, "\(c.cmd.debugDescription) with \(value.debugDescription) ran a command")
                #expect(readFile(dir.file("o.txt")) == c.expected(value), "\(c.cmd.debugDescription) with \(value.debugDescription)")
            }
        }
    }

    @Test("--dry-run, status, dag and make with injecting values run nothing")
    func planningRunsNothing() throws {
        let dir = try ScratchDirectory()
        try writeFile(Self.spec, to: dir.file("p.yaml"))
        for payload in payloads {
            for command in [["run", "--dry-run"], ["status"], ["dag"], ["dag", "--dot"], ["make", "-o", "Makefile"]] {
                let r = try stick(["pipeline", command[0], "p.yaml"] + command.dropFirst() + ["--set", "v=" + yamlString(payload)], in: dir.path)
                #expect(r.status == 0, "\(command) \(payload.debugDescription): \(r.stderr)")
            }
            #expect(markers(in: dir.path).isEmpty, "\(payload.debugDescription)")
            #expect(!exists(dir.file("plain.txt")) && !exists(dir.file("p.lock")))
        }
    }
}

/// Pipeline security: one run of a pipeline at a time.
@Suite struct PipelineRunLockTests {
    @Test("a second run of a running pipeline fails at once naming the first; the first finishes; status still works")
    func concurrentRuns() throws {
        let dir = try ScratchDirectory()
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              slow:
                cmd: echo started > started.txt; sleep 3; echo done > slow.txt
                outs: [slow.txt]
            """, to: dir.file("p.yaml"))
        let first = try BackgroundProcess(TestPaths.binaries.appendingPathComponent("stick").path, ["pipeline", "run", "p.yaml", "-q"],
                                          stdout: dir.file("first.log"), stderr: dir.file("first.log"), currentDirectory: dir.path)
        defer { first.stop() }
        var waited = 0.0
        while !exists(dir.file("started.txt")) && waited < 20 {
            Thread.sleep(forTimeInterval: 0.05)
            waited += 0.05
        }
        #expect(exists(dir.file("started.txt")), "the first run did not start its stage")

        let started = Date()
        let second = try stick(["pipeline", "run", "p.yaml", "-q"], in: dir.path)
        let seconds = Date().timeIntervalSince(started)
        #expect(second.status != 0)
        #expect(seconds < 2, "the second run waited \(seconds) s instead of failing at once")
        #expect(second.stderr.contains("p.yaml: another run of this pipeline is in progress (pid \(first.pid) on "), "\(second.stderr)")
        #expect(second.stderr.contains(".p.lock.run"), "\(second.stderr)")
        #expect(first.isRunning, "the second run should not have waited for the first")

        // Reading is fine meanwhile.
        #expect(try stick(["pipeline", "status", "p.yaml"], in: dir.path).status == 0)
        #expect(try stick(["pipeline", "run", "p.yaml", "--dry-run"], in: dir.path).status == 0)

        #expect(first.wait(seconds: 120) == 0, "\(readFile(dir.file("first.log")) ?? "")")
        #expect(readFile(dir.file("slow.txt")) == "done\n")
        #expect(!exists(dir.file(".p.lock.run")), "the run lock is removed when the run ends")
        #expect(Set(try PipelineLock.load(dir.file("p.lock")).stages.keys) == ["slow"])
    }

    @Test("a run lock left by a killed run does not block the next run")
    func staleRunLock() throws {
        let dir = try ScratchDirectory()
        try writeFile("stick: pipeline\nversion: 1\nstages:\n  s:\n    cmd: echo ok > s.txt\n    outs: [s.txt]\n", to: dir.file("p.yaml"))
        try writeFile("pid 1 on elsewhere since 2000-01-01T00:00:00Z\n", to: dir.file(".p.lock.run"))
        let r = try stick(["pipeline", "run", "p.yaml", "-q"], in: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(readFile(dir.file("s.txt")) == "ok\n")
        #expect(!exists(dir.file(".p.lock.run")))
    }
}

/// Pipeline security: outputs stay inside the pipeline.
@Suite struct PipelineOutputPlaceTests {
    /// root/victim/keep.txt beside root/pipe/p.yaml, whose one stage writes `${out}`; pipe/link → ../victim,
    /// pipe/here → . (the working directory itself).
    static func setUp() throws -> ScratchDirectory {
        let root = try ScratchDirectory()
        try writeFile("keep\n", to: root.file("victim/keep.txt"))
        try FileManager.default.createDirectory(atPath: root.file("elsewhere"), withIntermediateDirectories: true)
        try writeFile("""
            stick: pipeline
            version: 1
            vars:
              out: result.txt
            stages:
              write:
                cmd: echo hi > ${out}
                outs:
                  - ${out}
            """, to: root.file("pipe/p.yaml"))
        try FileManager.default.createSymbolicLink(atPath: root.file("pipe/link"), withDestinationPath: "../victim")
        try FileManager.default.createSymbolicLink(atPath: root.file("pipe/here"), withDestinationPath: ".")
        return root
    }

    @Test("--set out=../victim is refused before anything is deleted, by run, status, dag and make")
    func siblingSurvives() throws {
        let root = try Self.setUp()
        for command in [["run"], ["status"], ["dag"], ["make", "-o", "Makefile"]] {
            let r = try stick(["pipeline", command[0], "pipe/p.yaml"] + command.dropFirst() + ["--set", "out=../victim"], in: root.path)
            #expect(r.status != 0, "\(command)")
            #expect(r.stderr.contains("pipe/p.yaml:6: stage 'write': output '../victim' is outside the working directory"), "\(r.stderr)")
            #expect(readFile(root.file("victim/keep.txt")) == "keep\n")
        }
        #expect(!exists(root.file("Makefile")))
    }

    @Test("an output through a symlink that leads outside, or onto the working directory, the spec or its lock, is refused")
    func symlinksAndItself() throws {
        let root = try Self.setUp()
        #expect(try stick(["pipeline", "run", "pipe/p.yaml", "-q"], in: root.path).status == 0)  // writes the lock
        let cases: [(String, String)] = [
            ("link", "output 'link' is outside the working directory"),
            ("link/keep.txt", "output 'link/keep.txt' is outside the working directory"),
            (".", "'.' in outs is the working directory itself"),
            ("here", "output 'here' is the working directory itself"),
            ("sub/..", "'sub/..' in outs is the working directory itself"),
            ("here/p.yaml", "output 'here/p.yaml' would delete the spec"),
            ("here/p.lock", "output 'here/p.lock' would delete the lock file"),
            ("p.lock", "output 'p.lock' would delete the lock file"),
            ("link/../x", "output 'link/../x' goes through a symlink before '..'"),
        ]
        for (out, message) in cases {
            let r = try stick(["pipeline", "run", "pipe/p.yaml", "-q", "--set", "out=\(out)"], in: root.path)
            #expect(r.status != 0, "\(out)")
            #expect(r.stderr.contains("pipe/p.yaml:") && r.stderr.contains("stage 'write'") && r.stderr.contains(message), "\(out): \(r.stderr)")
        }
        #expect(readFile(root.file("victim/keep.txt")) == "keep\n")
        #expect(exists(root.file("pipe/p.yaml")) && exists(root.file("pipe/p.lock")))
    }

    @Test("outputs holding the spec are refused when the working directory is above it")
    func specBelowWorkingDirectory() throws {
        let root = try ScratchDirectory()
        try writeFile("""
            stick: pipeline
            version: 1
            wdir: ..
            vars:
              out: result.txt
            stages:
              write:
                cmd: echo hi > ${out}
                outs:
                  - ${out}
            """, to: root.file("specs/p.yaml"))
        #expect(try stick(["pipeline", "run", "specs/p.yaml", "-q"], in: root.path).status == 0)
        for out in ["specs", "specs/p.lock"] {
            let r = try stick(["pipeline", "run", "specs/p.yaml", "-q", "--set", "out=\(out)"], in: root.path)
            #expect(r.status != 0)
            #expect(r.stderr.contains("stage 'write': output '\(out)' would delete the"), "\(r.stderr)")
        }
        #expect(exists(root.file("specs/p.yaml")) && exists(root.file("specs/p.lock")))
    }

    @Test("a symlink made by an earlier stage is caught before the later stage deletes through it")
    func symlinkMadeDuringTheRun() throws {
        let root = try ScratchDirectory()
        try writeFile("keep\n", to: root.file("victim/keep.txt"))
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              link:
                cmd: ln -s ../victim made; echo > a.txt
                outs: [a.txt]
              write:
                cmd: echo pwned > made/keep.txt
                deps: [a.txt]
                outs: [made/keep.txt]
            """, to: root.file("pipe/p.yaml"))
        let r = try stick(["pipeline", "run", "pipe/p.yaml", "-q"], in: root.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("refusing to delete and write the output 'made/keep.txt': it is outside the working directory"), "\(r.stderr)")
        #expect(readFile(root.file("victim/keep.txt")) == "keep\n")
    }

    @Test("--allow-outs-under DIR lets outputs live under DIR (not DIR itself); deps may be anywhere")
    func allowOutsUnder() throws {
        let root = try Self.setUp()
        var r = try stick(["pipeline", "run", "pipe/p.yaml", "-q", "--set", "out=../elsewhere/r.txt"], in: root.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("--allow-outs-under"), "\(r.stderr)")
        for command in [["run", "-q"], ["status"], ["dag"], ["make", "-o", "Makefile"]] {
            r = try stick(["pipeline", command[0], "pipe/p.yaml"] + command.dropFirst()
                + ["--set", "out=../elsewhere/r.txt", "--allow-outs-under", "elsewhere"], in: root.path)
            #expect(r.status == 0, "\(command): \(r.stderr)")
        }
        #expect(readFile(root.file("elsewhere/r.txt")) == "hi\n")
        r = try stick(["pipeline", "run", "pipe/p.yaml", "-q", "--set", "out=../elsewhere", "--allow-outs-under", root.file("elsewhere")], in: root.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("is the allowed directory"), "\(r.stderr)")

        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              copy:
                cmd: cp ../victim/keep.txt copy.txt
                deps: [../victim/keep.txt]
                outs: [copy.txt]
            """, to: root.file("pipe/deps.yaml"))
        r = try stick(["pipeline", "run", "pipe/deps.yaml", "-q"], in: root.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(readFile(root.file("pipe/copy.txt")) == "keep\n")
    }
}

/// Pipeline security: the Makefile export.
@Suite(.enabled(if: gnuMake != nil, "GNU make ≥ 4.3 is not installed"))
struct PipelineMakefileInjectionTests {
    @Test("a desc or a value with newlines adds no rule; `make evil` has no rule, make runs nothing injected")
    func newlines() throws {
        let dir = try ScratchDirectory()
        try writeFile("""
            stick: pipeline
            version: 1
            vars:
              v: safe
            stages:
              show:
                desc: "x\\nevil:\\n\\ttouch PWNED1"
                cmd: printf '%s\\n' ${v} > out.txt
                outs: [out.txt]
            """, to: dir.file("p.yaml"))
        let value = "a\nevil2:\n\ttouch PWNED2"
        let r = try stick(["pipeline", "make", "p.yaml", "-o", "Makefile", "--set", "v=" + yamlString(value)], in: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let makefile = readFile(dir.file("Makefile")) ?? ""
        #expect(makefile.contains("# show (p.yaml:6): x\n# evil:\n# \ttouch PWNED1\n"), "\(makefile)")
        #expect(try runMake(["-n"], in: dir.path).status == 0)
        #expect(markers(in: dir.path).isEmpty)
        let built = try runMake([], in: dir.path)
        #expect(built.status == 0, "\(built.output)\n\(makefile)")
        #expect(readFile(dir.file("out.txt")) == value + "\n", "\(makefile)")
        for target in ["evil", "evil2"] {
            let evil = try runMake([target], in: dir.path)
            #expect(evil.status != 0)
            #expect(evil.output.contains("No rule to make target '\(target)'"), "\(evil.output)\n\(makefile)")
        }
        #expect(markers(in: dir.path).isEmpty)
    }

    @Test("neither a comment ending in a backslash nor a value with endef, define, a final backslash or CR breaks out")
    func defineBodies() throws {
        let dir = try ScratchDirectory()
        try writeFile("""
            stick: pipeline
            version: 1
            vars:
              v: safe
            stages:
              show:
                desc: "a comment ending in a backslash \\\\"
                cmd: printf '%s\\n' ${v} > out.txt
                outs: [out.txt]
              lines:
                desc: several lines
                cmd: |
                  printf '%s\\n' ${v} > lines.txt
                  printf '%s\\n' "${v}" >> lines.txt
                outs: [lines.txt]
            """, to: dir.file("p.yaml"))
        let value = "a\\\nendef\nevil:\n\ttouch PWNED1\r\ndefine X\n$(touch PWNED2) # not a comment\\"
        let r = try stick(["pipeline", "make", "p.yaml", "-o", "Makefile", "--set", "v=" + yamlString(value)], in: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let makefile = readFile(dir.file("Makefile")) ?? ""
        let built = try runMake([], in: dir.path)
        #expect(built.status == 0, "\(built.output)\n\(makefile)")
        #expect(markers(in: dir.path).isEmpty, "\(built.output)\n\(makefile)")
        #expect(readFile(dir.file("out.txt")) == value + "\n", "\(makefile)")
        #expect(readFile(dir.file("lines.txt")) == value + "\n" + value + "\n", "\(makefile)")
        let evil = try runMake(["evil"], in: dir.path)
        #expect(evil.output.contains("No rule to make target 'evil'"), "\(evil.output)\n\(makefile)")
        #expect(markers(in: dir.path).isEmpty)
    }

    @Test("values reach make's recipes quoted with $ doubled, and run as literal arguments")
    func quotedRecipes() throws {
        let dir = try ScratchDirectory()
        try writeFile(PipelineCommandInjectionTests.spec, to: dir.file("p.yaml"))
        for payload in payloads {
            try? FileManager.default.removeItem(atPath: dir.file("Makefile"))
            let r = try stick(["pipeline", "make", "p.yaml", "-o", "Makefile", "--set", "v=" + yamlString(payload)], in: dir.path)
            #expect(r.status == 0, "\(payload.debugDescription): \(r.stderr)")
            let built = try runMake(["-B"], in: dir.path)
            #expect(built.status == 0, "\(payload.debugDescription): \(built.output)")
            #expect(markers(in: dir.path).isEmpty, "\(payload.debugDescription) ran a command")
            #expect(readFile(dir.file("plain.txt")) == payload + "\n", "\(payload.debugDescription)")
            #expect(readFile(dir.file("double.txt")) == "v=" + payload + "\n", "\(payload.debugDescription)")
            #expect(readFile(dir.file("single.txt")) == "v=" + payload + "\n", "\(payload.debugDescription)")
        }
    }

    @Test("names make cannot hold (a line break, ;, =) are refused; names that look like directives still work")
    func targetNames() throws {
        let dir = try ScratchDirectory()
        try writeFile("""
            stick: pipeline
            version: 1
            vars:
              items: [a]
              out: out.txt
            stages:
              s:
                foreach: ${items}
                do:
                  cmd: echo ${item} > s-${item}.txt
                  outs: ["s-${item}.txt"]
              t:
                cmd: echo t > ${out}; echo > define
                outs:
                  - define
                  - ${out}
            """, to: dir.file("p.yaml"))
        let bad: [(String, String)] = [
            ("items=[" + yamlString("a\nevil:") + "]", "cannot be a make target or prerequisite (it holds a control character or line break)"),
            ("out=" + yamlString("x;touch PWNED"), "it holds ';'"),
            ("out=" + yamlString("SHELL=/bin/false"), "it holds '='"),
            ("out=.PHONY", "make reads it as a special target"),
        ]
        for (set, message) in bad {
            let r = try stick(["pipeline", "make", "p.yaml", "-o", "Makefile", "--set", set], in: dir.path)
            #expect(r.status != 0, "\(set)")
            #expect(r.stderr.contains("p.yaml:") && r.stderr.contains(message), "\(set): \(r.stderr)")
            #expect(!exists(dir.file("Makefile")))
        }
        let r = try stick(["pipeline", "make", "p.yaml", "-o", "Makefile", "--set", "items=[b c, \"d#e\", \"f:g\", \"h%i\", \"j$k\"]"], in: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let built = try runMake([], in: dir.path)
        #expect(built.status == 0, "\(built.output)\n\(readFile(dir.file("Makefile")) ?? "")")
        for item in ["b c", "d#e", "f:g", "h%i", "j$k"] { #expect(readFile(dir.file("s-\(item).txt")) == item + "\n", "\(item)") }
        #expect(readFile(dir.file("out.txt")) == "t\n" && exists(dir.file("define")))
        #expect(markers(in: dir.path).isEmpty)
    }
}
