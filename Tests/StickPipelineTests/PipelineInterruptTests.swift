// SIGINT/SIGTERM to `stick pipeline run`: a real `stick` child process whose stage sleeps is
// interrupted once the stage has started; the run exits 130/143 naming the stage, the stage's process
// is gone, its partial output deleted, the lock keeps the finished upstream stage only and the
// downstream stage never starts; a running stage's service is stopped too. Under the real Slurm cluster
// the stage's job leaves the queue. Also `run --executor slurm --detach` followed by `pipeline status`.
import Foundation
import StickPipeline
import StickTestSupport
import Testing

/// `stick ARGS` started as a child (stderr into a file, so nothing blocks), for signalling.
final class StickChild: BackgroundProcess, @unchecked Sendable {
    let errPath: String

    init(_ arguments: [String], in dir: ScratchDirectory) throws {
        errPath = dir.file("stick.stderr")
        try super.init(TestPaths.binaries.appendingPathComponent("stick").path, arguments, stderr: errPath)
    }

    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// Waits up to `seconds` for `path` to exist (false if the child exits or time runs out first).
    func waitFor(_ path: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return true }
            if !isRunning { return FileManager.default.fileExists(atPath: path) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    /// Waits up to `seconds` for the child to exit; kills it and returns nil when it does not.
    func waitForExit(seconds: Double) -> Int32? {
        if let status = wait(seconds: seconds) { return status }
        stop()
        return nil
    }
}

/// Whether `pid` is gone (or a zombie nobody reaped yet), waiting up to `seconds` for it.
func processGone(_ pid: pid_t, within seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "Z" { return true }
        Thread.sleep(forTimeInterval: 0.1)
    } while Date() < deadline
    return false
}

private func interruptSpec(_ dir: ScratchDirectory, sleeper: String) throws -> String {
    let spec = dir.file("int.yaml")
    try writeFile("""
        stick: pipeline
        version: 1
        stages:
          first:
            cmd: echo done > first.txt
            outs: [first.txt]
          \(sleeper):
            cmd: echo partial > slow.txt; echo $$ > sleep.pid; touch started; exec sleep 30
            deps: [first.txt]
            outs: [slow.txt]
          after:
            cmd: echo after > after.txt
            deps: [slow.txt]
            outs: [after.txt]
        """, to: spec)
    return spec
}

@Suite(.serialized, .timeLimit(.minutes(5)))
struct PipelineInterruptTests {
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalStopsTheRunningStageAndRecordsOnlyFinishedOnes(signal: Int32) throws {
        let dir = try ScratchDirectory()
        let spec = try interruptSpec(dir, sleeper: "slow")
        let child = try StickChild(["pipeline", "run", spec, "-j", "1"], in: dir)
        try #require(child.waitFor(dir.file("started"), seconds: 60), Comment(rawValue: child.stderr))
        let pid = try #require(pid_t((try String(contentsOfFile: dir.file("sleep.pid"), encoding: .utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(child.pid, signal)
        let status = child.waitForExit(seconds: 60)
        let stderr = child.stderr
        #expect(status == 128 + signal, Comment(rawValue: stderr))
        let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
        #expect(stderr.contains("interrupted by \(name): stopped slow"), Comment(rawValue: stderr))
        #expect(stderr.contains("not started: after"), Comment(rawValue: stderr))
        // The stage's process (the group leader, `exec sleep 30`) is gone.
        #expect(processGone(pid, within: 5))
        // The finished stage stays recorded; the interrupted one is not, and its partial output is gone.
        let lock = try PipelineLock.load(dir.file("int.lock"))
        #expect(Set(lock.stages.keys) == ["first"])
        #expect(FileManager.default.fileExists(atPath: dir.file("first.txt")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("slow.txt")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("after.txt")))
        // The next run runs the interrupted stage again (and skips the finished one).
        try FileManager.default.removeItem(atPath: dir.file("started"))
        let rerun = try runTool("stick", ["pipeline", "run", spec, "--dry-run"])
        let lines = rerun.stderr.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.contains { $0.hasPrefix("would run slow ") } && lines.contains { $0.hasPrefix("skip first ") }, Comment(rawValue: rerun.stderr))
    }
}

extension PipelineInterruptTests {
    /// A port nobody listens on now (bound, read, released).
    func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func aSignalStopsTheRunningStagesService() throws {
        let dir = try ScratchDirectory()
        let port = try unusedPort()
        let spec = dir.file("svc.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              ask:
                service:
                  cmd: echo $$ > service.pid; exec python3 -m http.server \(port) --bind 127.0.0.1
                  ready: http://127.0.0.1:\(port)/
                  timeout: 60
                cmd: echo partial > answer.txt; touch started; exec sleep 30
                outs: [answer.txt]
            """, to: spec)
        let child = try StickChild(["pipeline", "run", spec], in: dir)
        try #require(child.waitFor(dir.file("started"), seconds: 60), Comment(rawValue: child.stderr))
        let servicePid = try #require(pid_t((try String(contentsOfFile: dir.file("service.pid"), encoding: .utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(child.pid, SIGINT)
        let status = child.waitForExit(seconds: 60)
        #expect(status == 130, Comment(rawValue: child.stderr))
        #expect(child.stderr.contains("interrupted by SIGINT: stopped ask"), Comment(rawValue: child.stderr))
        #expect(processGone(servicePid, within: 5), "the service \(servicePid) survived the interrupt")
        #expect(!FileManager.default.fileExists(atPath: dir.file("answer.txt")))
        #expect(try PipelineLock.load(dir.file("svc.lock")).stages.isEmpty)
    }
}

@Suite(.enabled(if: LocalSlurm.shouldRun, LocalSlurm.skipComment), .serialized, .timeLimit(.minutes(5)))
struct PipelineInterruptClusterTests {
    @Test func sigintCancelsTheSubmittedJobs() throws {
        if let reason = LocalSlurm.unavailableReason {
            Issue.record("Slurm tests cannot run: \(reason)")
            return
        }
        let dir = try ScratchDirectory()
        let sleeper = "stick_interrupt_\(getpid())"
        let spec = try interruptSpec(dir, sleeper: sleeper)
        let child = try StickChild(["pipeline", "run", spec, "--executor", "slurm", "--poll-interval", "0.2"], in: dir)
        try #require(child.waitFor(dir.file("started"), seconds: 120), Comment(rawValue: child.stderr))
        // The upstream job's end is seen (and recorded) before the interrupt.
        let deadline = Date().addingTimeInterval(60)
        while !child.stderr.contains("✓ first"), child.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        let pid = pid_t((try String(contentsOfFile: dir.file("sleep.pid"), encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines))
        kill(child.pid, SIGINT)
        let status = child.waitForExit(seconds: 60)
        let stderr = child.stderr
        #expect(status == 130, Comment(rawValue: stderr))
        #expect(stderr.contains("interrupted by SIGINT: stopped \(sleeper)") && stderr.contains("cancelled Slurm job"), Comment(rawValue: stderr))
        // The stage's job and its dependant's leave the queue (a cancelled job may show as completing briefly).
        let squeue = try #require(findTool("squeue"))
        var queued = "?"
        for _ in 0..<150 {
            queued = try slurmTool(squeue, ["-h", "-o", "%j", "-n", "\(sleeper),after"]).stdoutText
            if queued.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(queued.isEmpty, Comment(rawValue: queued))
        if let pid { #expect(processGone(pid, within: 30)) }
        let lock = try PipelineLock.load(dir.file("int.lock"))
        #expect(Set(lock.stages.keys) == ["first"])
        #expect(!FileManager.default.fileExists(atPath: dir.file("slow.txt")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("after.txt")))
    }
}

@Suite(.enabled(if: LocalSlurm.shouldRun, LocalSlurm.skipComment), .serialized, .timeLimit(.minutes(5)))
struct PipelineDetachClusterTests {
    @Test func aDetachedRunIsFollowedByStatusAndRecordedInTheLock() throws {
        if let reason = LocalSlurm.unavailableReason {
            Issue.record("Slurm tests cannot run: \(reason)")
            return
        }
        let dir = try ScratchDirectory()
        let spec = dir.file("det.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              da:
                cmd: echo a > a.txt
                outs: [a.txt]
              db:
                foreach: [x, y]
                do:
                  cmd: cat a.txt > b-${item}.txt; echo ${item} >> b-${item}.txt
                  deps: [a.txt]
                  outs: ["b-${item}.txt"]
            """, to: spec)
        let run = try runTool("stick", ["pipeline", "run", spec, "--executor", "slurm", "--detach"])
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        // stdout: one `STAGE<TAB>JOB` line per stage; the array's tasks as ID_TASK.
        let submitted = Dictionary(uniqueKeysWithValues: run.stdoutText.split(separator: "\n").map { line -> (String, String) in
            let parts = line.split(separator: "\t").map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        })
        #expect(Set(submitted.keys) == ["da", "db@x", "db@y"], Comment(rawValue: run.stdoutText))
        #expect(submitted["da"]?.allSatisfy(\.isNumber) == true && submitted["db@y"]?.hasSuffix("_1") == true, Comment(rawValue: run.stdoutText))
        let state = dir.file(".stick/slurm/det.submitted.json")
        let saved = try #require(try SlurmSubmission.load(state))
        #expect(saved.stages["da"]?.job == submitted["da"])
        // Poll status until it stops saying 3 (pending/running).
        var status = try runTool("stick", ["pipeline", "status", spec])
        for _ in 0..<600 where status.status == 3 {
            #expect(status.stdoutText.contains("PENDING") || status.stdoutText.contains("RUNNING") || status.stdoutText.contains("COMPLETED"),
                    Comment(rawValue: status.stdoutText))
            Thread.sleep(forTimeInterval: 0.2)
            status = try runTool("stick", ["pipeline", "status", spec])
        }
        #expect(status.status == 0, Comment(rawValue: status.stdoutText + status.stderr))
        let rows = status.stdoutText.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        for stage in ["da", "db@x", "db@y"] {
            #expect(rows.contains { $0.first == stage && $0.contains("COMPLETED") && $0.contains(submitted[stage]!) }, Comment(rawValue: status.stdoutText))
        }
        #expect(!FileManager.default.fileExists(atPath: state))
        let lock = try PipelineLock.load(dir.file("det.lock"))
        #expect(Set(lock.stages.keys) == ["da", "db@x", "db@y"])
        #expect(try String(contentsOfFile: dir.file("b-y.txt"), encoding: .utf8) == "a\ny\n")
        // A local run finds everything up to date.
        let local = try runTool("stick", ["pipeline", "run", spec])
        #expect(local.status == 0 && local.stderr.contains("0 ran, 3 up to date"), Comment(rawValue: local.stderr))
        // With no submission left, status shows the plan again.
        let plan = try runTool("stick", ["pipeline", "status", spec])
        #expect(plan.status == 0 && plan.stdoutText.contains("everything is up to date"), Comment(rawValue: plan.stdoutText))
    }

    @Test func statusOfADetachedFailureExitsOne() throws {
        if LocalSlurm.unavailableReason != nil { return }
        let dir = try ScratchDirectory()
        let spec = dir.file("bad.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              bad:
                cmd: exit 4
                outs: [bad.txt]
            """, to: spec)
        let run = try runTool("stick", ["pipeline", "run", spec, "--executor", "slurm", "--detach"])
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        var status = try runTool("stick", ["pipeline", "status", spec])
        for _ in 0..<600 where status.status == 3 {
            Thread.sleep(forTimeInterval: 0.2)
            status = try runTool("stick", ["pipeline", "status", spec])
        }
        #expect(status.status == 1, Comment(rawValue: status.stdoutText + status.stderr))
        #expect(status.stdoutText.contains("FAILED") && status.stdoutText.contains("exit status 4"), Comment(rawValue: status.stdoutText))
        #expect(try PipelineLock.load(dir.file("bad.lock")).stages.isEmpty)
    }
}
