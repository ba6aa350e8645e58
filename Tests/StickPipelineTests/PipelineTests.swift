// `stick pipeline`: spec expansion, interpolation, the DAG, what reruns and why, the lock file,
// parallel runs, failures, dry runs and the Makefile export — on small shell-command specs in
// scratch directories, through the library (no executable needed).
import Foundation
import StickArtifacts
import StickCLI
import StickCommands
import StickPipeline
import StickTestSupport
import Testing

/// Collects the runner's log lines.
private final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
    var text: String { all.joined(separator: "\n") }
}

private struct Outcome {
    var report: PipelineReport
    var log: LogLines
    var ran: Set<String> { Set(report.ran) }
    var skipped: Set<String> { Set(report.skipped) }
}

func writeFile(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

func readFile(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

/// Writes `yaml` as `dir/name` and runs it.
@discardableResult
private func runSpec(_ path: String, targets: [String] = [], jobs: Int = 1, force: Bool = false, dryRun: Bool = false,
                     sets: [String] = []) throws -> Outcome {
    let runner = try PipelineRunner(specPath: path, overrides: sets.map(VarOverride.init(parsing:)),
                                    options: PipelineOptions(targets: targets, jobs: jobs, dryRun: dryRun, force: force))
    let log = LogLines()
    let report = try runner.run(log: { log.append($0) })
    return Outcome(report: report, log: log)
}

/// The error a spec gives when loaded, expanded and planned.
private func specError(_ yaml: String, sets: [String] = []) throws -> StickError {
    let dir = try ScratchDirectory()
    let path = dir.file("bad.yaml")
    try writeFile(yaml, to: path)
    do {
        _ = try PipelineRunner(specPath: path, overrides: sets.map(VarOverride.init(parsing:))).plan()
    } catch let e as StickError {
        return e
    }
    Issue.record("expected an error from:\n\(yaml)")
    return StickError("no error")
}

func findTool(_ tool: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let p = "\(dir)/\(tool)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}

/// GNU make 4.3 or newer (grouped targets), or nil.
let gnuMake: String? = {
    guard let make = findTool("make") else { return nil }
    guard let text = try? runProcess(make, ["--version"]).stdoutText else { return nil }
    guard let line = text.split(separator: "\n").first, line.hasPrefix("GNU Make "),
          let version = line.split(separator: " ").last else { return nil }
    let parts = version.split(separator: ".").compactMap { Int($0) }
    guard parts.count >= 2, (parts[0], parts[1]) >= (4, 3) else { return nil }
    return make
}()

/// GNU make's exit status and its stdout and stderr, run in `directory`.
func runMake(_ arguments: [String], in directory: String) throws -> (status: Int32, output: String) {
    let result = try runProcess(gnuMake!, arguments, currentDirectory: directory)
    return (result.status, result.stdoutText + result.stderr)
}

@Suite struct PipelineTests {
    // A small pipeline: greet and count are independent, combine reads both; fixed only depends on a param.
    static let chain = """
        stick: pipeline
        version: 1
        vars:
          greeting: hello
          count: 2
        stages:
          greet:
            cmd: echo ${greeting} > greet.txt
            outs: greet.txt
          count:
            cmd: seq ${count} > count.txt
            outs: [count.txt]
          combine:
            cmd:
              - cat greet.txt count.txt > all.txt
              - wc -l < all.txt > lines.txt
            deps: [greet.txt, count.txt]
            outs: [all.txt, lines.txt]
          fixed:
            desc: reads the param count from elsewhere (say a config), not from its command
            cmd: echo fixed > fixed.txt
            params: [count]
            outs: [fixed.txt]
          after-fixed:
            cmd: cp fixed.txt after.txt
            deps: [fixed.txt]
            outs: [after.txt]
        """

    @Test("an untouched rerun does nothing; the lock records every stage")
    func untouchedRerun() throws {
        let dir = try ScratchDirectory()
        let spec = dir.file("p.yaml")
        try writeFile(Self.chain, to: spec)
        let first = try runSpec(spec)
        #expect(first.report.succeeded)
        #expect(first.ran == ["greet", "count", "combine", "fixed", "after-fixed"])
        #expect(readFile(dir.file("all.txt")) == "hello\n1\n2\n")
        #expect(readFile(dir.file("lines.txt"))?.trimmingCharacters(in: .whitespacesAndNewlines) == "3")
        #expect(first.log.text.contains("outputs: all.txt lines.txt after.txt"))

        let lock = try PipelineLock.load(dir.file("p.lock"))
        #expect(Set(lock.stages.keys) == first.ran)
        #expect(lock.stages["combine"]?.deps["greet.txt"]?.sha256 == SHA256Hex.of("hello\n"))
        #expect(lock.stages["fixed"]?.params["count"] == .number("2"))
        #expect(lock.stages["count"]?.cmd == ["seq 2 > count.txt"])

        let second = try runSpec(spec)
        #expect(second.ran.isEmpty)
        #expect(second.skipped == first.ran)
        #expect(second.report.plan.allSatisfy { $0.action == .skip && $0.reason == "up to date" })
    }

    @Test("changing one var reruns only the stages that depend on it")
    func paramChange() throws {
        let dir = try ScratchDirectory()
        let spec = dir.file("p.yaml")
        try writeFile(Self.chain, to: spec)
        try runSpec(spec)

        // count is in count's command and in fixed's params; combine reads count.txt; greet is independent.
        let changed = try runSpec(spec, sets: ["count=3"])
        #expect(changed.ran == ["count", "combine", "fixed"])
        // fixed wrote the same bytes, so after-fixed is skipped once fixed has finished.
        #expect(changed.skipped == ["greet", "after-fixed"])
        let reasons = Dictionary(uniqueKeysWithValues: changed.report.plan.map { ($0.stage, $0.reason) })
        #expect(reasons["count"] == "command changed")
        #expect(reasons["fixed"] == "param 'count' changed (2 → 3)")
        #expect(reasons["combine"] == "upstream 'count' runs first")
        #expect(changed.log.all.contains("skip  after-fixed  up to date (upstream outputs unchanged)"))
        #expect(readFile(dir.file("all.txt")) == "hello\n1\n2\n3\n")

        // The same override again: nothing to do; back to the spec's value: the same stages again.
        #expect(try runSpec(spec, sets: ["count=3"]).ran.isEmpty)
        #expect(try runSpec(spec).ran == ["count", "combine", "fixed"])
    }

    @Test("a changed dep reruns its dependents; a modified or missing out reruns its stage; same bytes do not")
    func depChange() throws {
        let dir = try ScratchDirectory()
        let spec = dir.file("p.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              copy:
                cmd: cp data/in.txt copy.txt
                deps: [data/in.txt]
                outs: [copy.txt]
              upper:
                cmd: tr a-z A-Z < copy.txt > upper.txt
                deps: [copy.txt]
                outs: [upper.txt]
              listing:
                cmd: ls data > listing.txt
                deps: [data]
                outs: [listing.txt]
              independent:
                cmd: echo independent > independent.txt
                outs: [independent.txt]
            """, to: spec)
        try writeFile("abc\n", to: dir.file("data/in.txt"))
        #expect(try runSpec(spec).ran.count == 4)

        try writeFile("xyz\n", to: dir.file("data/in.txt"))
        let changed = try runSpec(spec)
        #expect(changed.ran == ["copy", "upper", "listing"])  // listing hashes the whole directory
        #expect(changed.report.plan.first { $0.stage == "copy" }?.reason == "dependency 'data/in.txt' changed")
        #expect(readFile(dir.file("upper.txt")) == "XYZ\n")

        // Rewriting identical bytes (a new mtime) changes nothing.
        try writeFile("xyz\n", to: dir.file("data/in.txt"))
        #expect(try runSpec(spec).ran.isEmpty)

        // A new file in a directory dep.
        try writeFile("more\n", to: dir.file("data/more.txt"))
        #expect(try runSpec(spec).ran == ["listing"])

        // An out edited by hand, or deleted.
        try writeFile("tampered\n", to: dir.file("upper.txt"))
        let modified = try runSpec(spec)
        #expect(modified.ran == ["upper"])
        #expect(modified.report.plan.first { $0.stage == "upper" }?.reason == "output 'upper.txt' was modified")
        try FileManager.default.removeItem(atPath: dir.file("copy.txt"))
        let missing = try runSpec(spec)
        #expect(missing.ran == ["copy"])  // copy.txt comes back identical: upper is skipped after it
        #expect(missing.report.plan.first { $0.stage == "copy" }?.reason == "output 'copy.txt' is missing")
        #expect(missing.skipped.contains("upper"))

        // --force reruns everything selected; a target brings only itself and its upstream.
        #expect(try runSpec(spec, targets: ["upper"], force: true).ran == ["copy", "upper"])
    }

    @Test("a failing stage leaves the lock consistent, and a rerun retries only what is needed")
    func failure() throws {
        let dir = try ScratchDirectory()
        let spec = dir.file("p.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              first:
                cmd: echo one > one.txt
                outs: [one.txt]
              flaky:
                cmd:
                  - echo starting
                  - if [ -e broken ]; then echo "something went wrong" >&2; echo boom >&2; exit 3; fi; cp one.txt flaky.txt
                deps: [one.txt]
                outs: [flaky.txt]
              after:
                cmd: cp flaky.txt after.txt
                deps: [flaky.txt]
                outs: [after.txt]
              independent:
                cmd: echo two > two.txt
                outs: [two.txt]
            """, to: spec)
        try writeFile("", to: dir.file("broken"))
        let failed = try runSpec(spec, jobs: 1)
        #expect(!failed.report.succeeded)
        #expect(failed.ran == ["first"])
        let failure = try #require(failed.report.failed.first)
        #expect(failure.stage == "flaky")
        #expect(failure.exit?.status == 3)
        #expect(failure.message.hasPrefix("exit status 3 (command 2 of 2: "))
        #expect(failure.stderrTail == ["something went wrong", "boom"])
        #expect(failed.report.notStarted == ["after", "independent"])  // nothing new starts after a failure
        #expect(failed.log.all.contains("    boom"))
        #expect(readFile(try #require(failure.logPath))?.contains("starting\n") == true)
        #expect(failure.logPath == dir.file(".stick/logs/flaky.log"))

        let lock = try PipelineLock.load(dir.file("p.lock"))
        #expect(Set(lock.stages.keys) == ["first"])

        try FileManager.default.removeItem(atPath: dir.file("broken"))
        let retry = try runSpec(spec, jobs: 1)
        #expect(retry.report.succeeded)
        #expect(retry.skipped == ["first"])
        #expect(retry.ran == ["flaky", "after", "independent"])
        #expect(Set(try PipelineLock.load(dir.file("p.lock")).stages.keys) == ["first", "flaky", "after", "independent"])
    }

    @Test("after a failure, stages already running finish and are recorded")
    func failureWhileOthersRun() throws {
        let dir = try ScratchDirectory()
        let spec = dir.file("p.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              slow:
                cmd: i=0; while [ ! -e bad.started ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; sleep 1; echo slow > slow.txt
                outs: [slow.txt]
              bad:
                cmd: touch bad.started; exit 1
              later:
                cmd: echo later > later.txt
                outs: [later.txt]
            """, to: spec)
        let outcome = try runSpec(spec, jobs: 2)
        #expect(outcome.report.failed.map(\.stage) == ["bad"])
        #expect(outcome.ran == ["slow"])
        #expect(outcome.report.notStarted == ["later"])
        #expect(Set(try PipelineLock.load(dir.file("p.lock")).stages.keys) == ["slow"])
    }

    @Test("-j 2 runs independent stages at the same time, and dependents after them; -j 1 one at a time")
    func parallel() throws {
        let dir = try ScratchDirectory()
        let spec = dir.file("p.yaml")
        // a and b each wait (bounded) for the other to have started: they can only finish if they overlap.
        // (The wait is written out in each command: a var is data, quoted as one word, not shell code.)
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              a:
                cmd: echo "start a" >> order.log; touch a.started; i=0; while [ ! -e b.started ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; [ -e b.started ]; echo a > a.txt; echo "end a" >> order.log
                outs: [a.txt]
              b:
                cmd: echo "start b" >> order.log; touch b.started; i=0; while [ ! -e a.started ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; [ -e a.started ]; echo b > b.txt; echo "end b" >> order.log
                outs: [b.txt]
              c:
                cmd: echo "start c" >> order.log; cat a.txt b.txt > c.txt
                deps: [a.txt, b.txt]
                outs: [c.txt]
            """, to: spec)
        let outcome = try runSpec(spec, jobs: 2)
        #expect(outcome.report.succeeded, "\(outcome.report.failed)")
        let order = (readFile(dir.file("order.log")) ?? "").split(separator: "\n").map(String.init)
        #expect(Set(order.prefix(2)) == ["start a", "start b"])
        #expect(order.last == "start c")
        #expect(readFile(dir.file("c.txt")) == "a\nb\n")

        // One at a time: every stage ends before the next starts (the rendezvous is not needed by c alone).
        let seq = try ScratchDirectory()
        let seqSpec = seq.file("p.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              a: {cmd: echo "start a" >> order.log; sleep 0.1; echo "end a" >> order.log}
              b: {cmd: echo "start b" >> order.log; sleep 0.1; echo "end b" >> order.log}
              c: {cmd: echo "start c" >> order.log; echo "end c" >> order.log}
            """, to: seqSpec)
        #expect(try runSpec(seqSpec, jobs: 1).report.succeeded)
        #expect(readFile(seq.file("order.log")) == "start a\nend a\nstart b\nend b\nstart c\nend c\n")
    }

    @Test("foreach over a list, a var and a mapping, matrix, and list expansion in cmd and deps")
    func expansion() throws {
        let dir = try ScratchDirectory()
        let path = dir.file("p.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            vars:
              out: results
              names: [alice, bob]
              sizes: {small: 1, large: 3}
              seeds: [1, 2]
              settings: {model: dummy, options: {temperature: 0.50}}
            stages:
              greet:
                foreach: ${names}
                do:
                  cmd: echo "hello ${item}" > ${out}/${item}.txt
                  outs: ["${out}/${item}.txt"]
              size:
                foreach: ${sizes}
                do:
                  cmd: seq ${item} > ${out}/size-${key}.txt
                  outs:
                    - ${out}/size-${key}.txt
              literal:
                foreach: [x, y]
                do:
                  cmd: echo ${item} ${settings.model} ${settings.options.temperature} > ${out}/literal-${item}.txt
                  outs: ["${out}/literal-${item}.txt"]
              train:
                matrix:
                  name: ${names}
                  seed: ${seeds}
                cmd: echo ${item.name} ${item.seed} > ${out}/train-${item.name}-${item.seed}.txt
                outs: ["${out}/train-${item.name}-${item.seed}.txt"]
              collect:
                cmd: cat ${out}/${names}.txt "${out}/train-${names}-${seeds}.txt" > ${out}/all.txt
                deps:
                  - ${out}/${names}.txt
                  - ${out}/train-${names}-${seeds}.txt
                outs: ["${out}/all.txt"]
            """, to: path)
        let spec = try PipelineSpec.load(path)
        #expect(spec.stages.map(\.name) == ["greet@alice", "greet@bob", "size@small", "size@large", "literal@x", "literal@y",
                                            "train@alice-1", "train@alice-2", "train@bob-1", "train@bob-2", "collect"])
        #expect(spec.stage(named: "greet@bob")?.commands == ["echo \"hello bob\" > results/bob.txt"])
        #expect(spec.stage(named: "greet@bob")?.group == "greet")
        #expect(spec.stage(named: "size@large")?.commands == ["seq 3 > results/size-large.txt"])
        #expect(spec.stage(named: "literal@y")?.commands == ["echo y dummy 0.50 > results/literal-y.txt"])
        #expect(spec.stage(named: "train@bob-2")?.outs == ["results/train-bob-2.txt"])
        let collect = try #require(spec.stage(named: "collect"))
        #expect(collect.commands == ["cat results/alice.txt results/bob.txt \"results/train-alice-1.txt\" \"results/train-alice-2.txt\" "
                                     + "\"results/train-bob-1.txt\" \"results/train-bob-2.txt\" > results/all.txt"])
        #expect(collect.deps == ["results/alice.txt", "results/bob.txt", "results/train-alice-1.txt", "results/train-alice-2.txt",
                                 "results/train-bob-1.txt", "results/train-bob-2.txt"])

        let graph = try PipelineGraph(spec)
        #expect(graph.upstream["collect"] == ["greet@alice", "greet@bob", "train@alice-1", "train@alice-2", "train@bob-1", "train@bob-2"])
        #expect(try graph.selection(["greet"]) == ["greet@alice", "greet@bob"])
        #expect(graph.text().contains("collect"))
        #expect(graph.dot().contains("\"train@bob-2\" -> \"collect\";"))

        let outcome = try runSpec(path, jobs: 2)
        #expect(outcome.report.succeeded, "\(outcome.report.failed)")
        #expect(readFile(dir.file("results/all.txt")) == "hello alice\nhello bob\nalice 1\nalice 2\nbob 1\nbob 2\n")
        #expect(readFile(dir.file("results/size-large.txt")) == "1\n2\n3\n")

        // Overriding a list var changes the expansion.
        let fewer = try PipelineSpec.load(path, overrides: [VarOverride(parsing: "names=[carol]")])
        #expect(fewer.stages.filter { $0.group == "greet" }.map(\.name) == ["greet@carol"])
    }

    @Test("--set values are read as YAML")
    func overrides() throws {
        #expect(try VarOverride(parsing: "models=[dummy, simulator-0.5]").value == .list([.string("dummy"), .string("simulator-0.5")]))
        #expect(try VarOverride(parsing: "n=3").value == .number("3"))
        #expect(try VarOverride(parsing: "flag=true").value == .bool(true))
        #expect(try VarOverride(parsing: "path=a b.yaml").value == .string("a b.yaml"))
        #expect(try VarOverride(parsing: "cfg.rate=0.5").key == "cfg.rate")
        #expect(throws: StickError.self) { try VarOverride(parsing: "novalue") }
        let e = try specError("stick: pipeline\nversion: 1\nvars: {models: [a]}\nstages: {s: {cmd: echo}}\n", sets: ["model=[b]"])
        #expect(e.message.contains("the spec has no var 'model' (vars: models)"))
    }

    @Test("interpolation mistakes, cycles, double outputs and missing inputs are clear errors")
    func errors() throws {
        let head = "stick: pipeline\nversion: 1\nvars:\n  out: run\n  models: [a, b]\n  cfg: {x: 1}\nstages:\n"

        var e = try specError(head + "  s:\n    cmd: echo ${modle}\n")
        #expect(e.file?.hasSuffix("bad.yaml") == true)
        #expect(e.line == 9)
        #expect(e.message.contains("unknown variable 'modle' in '${modle}' (known: out, models, cfg)"))
        #expect(e.description.contains("bad.yaml:9: "))

        e = try specError(head + "  s:\n    cmd: echo hi\n    outs: [x.txt]\n    params: [nope]\n")
        #expect(e.message.contains("stage 's', params: unknown variable 'nope'"))

        e = try specError(head + "  s:\n    cmd: echo ${cfg}\n")
        #expect(e.message.contains("'${cfg}' is a mapping"))

        e = try specError(head + "  s:\n    cmd: echo ${cfg.y}\n")
        #expect(e.message.contains("'cfg' has no key 'y'"))

        e = try specError(head + "  s:\n    desc: models ${models} here\n    cmd: echo\n")
        #expect(e.message.contains("is a list"))

        e = try specError(head + "  s:\n    cmd: echo ${out\n")
        #expect(e.message.contains("unterminated '${'"))

        e = try specError(head + "  s:\n    foreach: ${out}\n    do: {cmd: echo}\n")
        #expect(e.message.contains("'foreach' must be a list or a mapping"))

        e = try specError("stick: pipeline\nversion: 1\nvars:\n  a: ${b}/x\n  b: ${a}/y\nstages: {s: {cmd: echo}}\n")
        #expect(e.message.contains("vars refer to each other in a cycle: a → b → a"))

        e = try specError(head + "  s:\n    cmd: echo\n    unknown: 1\n")
        #expect(e.message.contains("unknown key 'unknown'"))
        #expect(e.line == 10)

        // Cycle.
        e = try specError(head + """
              a:
                cmd: cp b.txt a.txt
                deps: [b.txt]
                outs: [a.txt]
              b:
                cmd: cp c.txt b.txt
                deps: [c.txt]
                outs: [b.txt]
              c:
                cmd: cp a.txt c.txt
                deps: [a.txt]
                outs: [c.txt]
            """)
        #expect(e.message.contains("the stages form a cycle: a → c → b → a"))
        #expect(e.message.contains("'c' reads 'a.txt' from 'a'"))

        e = try specError(head + "  a:\n    cmd: echo > a.txt\n    deps: [a.txt]\n    outs: [a.txt]\n")
        #expect(e.message.contains("stage 'a' depends on its own output"))

        // Two stages writing one output (or one inside the other).
        e = try specError(head + "  a:\n    cmd: echo\n    outs: [\"${out}/x.txt\"]\n  b:\n    cmd: echo\n    outs: [run/./x.txt]\n")
        #expect(e.message.contains("two stages write one output: 'run/x.txt' is an output of stage 'a' (line 8) and stage 'b'"))
        #expect(e.line == 11)
        e = try specError(head + "  a:\n    cmd: echo\n    outs: [run]\n  b:\n    cmd: echo\n    outs: [run/x.txt]\n")
        #expect(e.message.contains("outputs 'run' and 'run/x.txt' overlap"))

        // A dep that nothing produces and that does not exist.
        e = try specError(head + "  a:\n    cmd: cat missing.txt\n    deps: [missing.txt]\n")
        #expect(e.message.contains("stage 'a': dependency 'missing.txt' does not exist and no stage produces it"))
        #expect(e.line == 8)

        e = try specError("stick: model\nversion: 1\n")
        #expect(e.message.contains("expected 'stick: pipeline'"))
    }

    @Test("--dry-run and status run nothing and write no lock")
    func dryRun() throws {
        let dir = try ScratchDirectory()
        let spec = dir.file("p.yaml")
        try writeFile(Self.chain, to: spec)
        let dry = try runSpec(spec, dryRun: true)
        #expect(dry.ran.isEmpty)
        #expect(dry.report.plan.count == 5 && dry.report.plan.allSatisfy { $0.action == .run })
        #expect(dry.log.all.first?.hasPrefix("would run  greet") == true)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files == ["p.yaml"])

        try runSpec(spec, targets: ["count"])
        let plan = try PipelineRunner(specPath: spec).plan()
        #expect(plan.map(\.action) == [.run, .skip, .run, .run, .run])
        #expect(plan[0].reason == "never run (not in the lock)")
    }

    @Test("the exported Makefile builds the same outputs with GNU make", .enabled(if: gnuMake != nil, "GNU make ≥ 4.3 is not installed"))
    func makefile() throws {
        let spec = """
            stick: pipeline
            version: 1
            wdir: ..
            vars:
              names: [alice, bob]
            stages:
              greet:
                foreach: ${names}
                do:
                  cmd: x=1; echo "hello ${item} $x" > out/${item}.txt
                  deps: [data/in.txt]
                  outs: ["out/${item}.txt"]
              split:
                cmd: |
                  for n in ${names}; do
                    cat out/$n.txt
                  done > out/both.txt
                  wc -l < out/both.txt | tr -d ' ' > out/count.txt
                deps: ["out/${names}.txt"]
                outs: [out/both.txt, out/count.txt]
              summary:
                cmd:
                  - cat out/both.txt out/count.txt > out/summary.txt
                  - echo '100%' >> out/summary.txt
                deps: [out]
                outs: [out/summary.txt]
            """
        // summary's dep `out` is a directory holding other stages' outputs: make gets those as prerequisites.
        func setUp(_ dir: ScratchDirectory) throws -> String {
            try writeFile("input\n", to: dir.file("data/in.txt"))
            try writeFile(spec, to: dir.file("pipelines/p.yaml"))
            return dir.file("pipelines/p.yaml")
        }
        // Fails: summary's outs are inside its dep `out`.
        let bad = try ScratchDirectory()
        #expect(throws: StickError.self) { try PipelineGraph(PipelineSpec.load(try setUp(bad))) }

        let fixedSpec = spec.replacingOccurrences(of: "outs: [out/summary.txt]", with: "outs: [summary.txt]")
            .replacingOccurrences(of: "> out/summary.txt", with: "> summary.txt").replacingOccurrences(of: ">> out/summary.txt", with: ">> summary.txt")
        let viaRunner = try ScratchDirectory(), viaMake = try ScratchDirectory()
        for dir in [viaRunner, viaMake] {
            try writeFile("input\n", to: dir.file("data/in.txt"))
            try writeFile(fixedSpec, to: dir.file("pipelines/p.yaml"))
        }
        #expect(try runSpec(viaRunner.file("pipelines/p.yaml")).report.succeeded)

        let graph = try PipelineGraph(PipelineSpec.load(viaMake.file("pipelines/p.yaml")))
        let text = try MakefileExporter.makefile(graph, makefileDirectory: viaMake.path)
        #expect(text.contains("out/both.txt out/count.txt &: out/alice.txt out/bob.txt"))
        #expect(text.contains("summary.txt: out/both.txt out/count.txt out/alice.txt out/bob.txt") ||
                text.contains("summary.txt: out/alice.txt out/bob.txt out/both.txt out/count.txt"))
        #expect(text.contains("x=1; echo \"hello alice $$x\" > out/alice.txt"))
        #expect(text.contains("all: summary.txt"))
        try writeFile(text, to: viaMake.file("Makefile"))

        let (status, output) = try runMake(["-f", "Makefile"], in: viaMake.path)
        #expect(status == 0, "\(output)\n\(text)")
        for f in ["out/alice.txt", "out/bob.txt", "out/both.txt", "out/count.txt", "summary.txt"] {
            #expect(readFile(viaMake.file(f)) != nil && readFile(viaMake.file(f)) == readFile(viaRunner.file(f)), "\(f)")
        }
        #expect(readFile(viaMake.file("summary.txt")) == "hello alice 1\nhello bob 1\n2\n100%\n")
        let (again, againOutput) = try runMake(["-f", "Makefile"], in: viaMake.path)
        #expect(again == 0)
        #expect(againOutput.contains("Nothing to be done") || againOutput.contains("is up to date"), "\(againOutput)")
    }

    @Test("the command line: exit statuses of runs, dry runs, failures and bad options")
    func commandLine() async throws {
        let dir = try ScratchDirectory()
        let spec = dir.file("p.yaml")
        try writeFile(Self.chain, to: spec)
        func stick(_ arguments: String...) async -> Int32 { await StickMain.status(StickCommand.self, arguments: arguments) }
        #expect(await stick("pipeline", "run", spec, "--dry-run") == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.file("p.lock")))
        #expect(await stick("pipeline", "run", spec, "-q", "-j", "2", "--set", "count=4", "--set", "greeting=hi") == 0)
        #expect(readFile(dir.file("all.txt")) == "hi\n1\n2\n3\n4\n")
        #expect(await stick("pipeline", "status", spec) == 0)
        #expect(await stick("pipeline", "dag", spec, "--dot") == 0)
        #expect(await stick("pipeline", "make", spec, "-o", dir.file("Makefile")) == 0)
        #expect(readFile(dir.file("Makefile"))?.contains("all.txt lines.txt &: greet.txt count.txt") == true)
        #expect(await stick("pipeline", "run", spec, "--set", "nope=1") == 1)
        #expect(await stick("pipeline", "run", spec, "--set", "nope") == 64)
        #expect(await stick("pipeline", "run", spec, "-j", "0") == 64)
        #expect(await stick("pipeline", "run", spec, "no-such-stage") == 1)
        try writeFile("stick: pipeline\nversion: 1\nstages:\n  s: {cmd: exit 5}\n", to: dir.file("fail.yaml"))
        #expect(await stick("pipeline", "run", dir.file("fail.yaml"), "-q") == 1)
    }

    @Test("the pipelines shipped in pipelines/ expand into valid DAGs")
    func shippedSpecs() throws {
        let root = TestPaths.packageRoot.appendingPathComponent("pipelines").path
        let demo = try PipelineGraph(PipelineSpec.load(root + "/demo.yaml"))
        let models = ["simulator-0", "simulator-0.5", "simulator-0.9", "dummy"]
        #expect(demo.spec.workingDirectory == TestPaths.packageRoot.standardizedFileURL.path)
        #expect(Set(demo.order) == Set(["prompts", "rank", "report", "summary"]
            + ["query", "parse", "score", "pack"].flatMap { s in models.map { "\(s)@\($0)" } }))
        #expect(demo.upstream["rank"] == models.map { "score@\($0)" })
        #expect(demo.upstream["report"] == ["rank"])
        // The archive holds the shared sessions too (for `stick audit`), so pack waits for prompts.
        #expect(demo.upstream["pack@dummy"] == ["prompts", "query@dummy", "parse@dummy", "score@dummy"])
        #expect(demo.stage("parse@dummy").commands.first?.contains("--on-no-match seeded") == true)
        #expect(demo.upstream["summary"] == ["rank", "report"], "the leaderboard and the report path are printed last")
        #expect(demo.finalStages(of: demo.order).contains("summary"))
        _ = try MakefileExporter.makefile(demo, makefileDirectory: root)

        let board = try PipelineGraph(PipelineSpec.load(root + "/leaderboard.yaml"))
        #expect(board.order.first == "import")
        #expect(board.upstream["prompts"] == ["import"])
        #expect(board.order.last == "report" || board.order.contains("report"))
    }
}
