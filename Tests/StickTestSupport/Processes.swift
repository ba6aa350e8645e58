// Child processes for the tests. Every program a test runs to completion goes through `runProcess` (the
// built executables, python3, sh, tar, make, Slurm's commands); a child that must outlive the call (a
// server, a pipeline run to interrupt) is a `BackgroundProcess`.
import Foundation
import StickArtifacts
import Testing

/// How a child ended and what it wrote.
package struct ProcessResult {
    package var status: Int32
    /// Killed by a signal it did not ask for (a crash), not by the timeout.
    package var crashed = false
    /// Killed because it outlived the timeout.
    package var timedOut = false
    package var stdout: Data
    package var stderr: String
    package var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs `executable` with `arguments` to completion: stdin from `stdin` (empty when nil), stdout and stderr
/// captured (both drained at once, so a large output cannot block the child), SIGKILL after `timeout` seconds.
/// `environment` nil inherits the test runner's.
package func runProcess(_ executable: String, _ arguments: [String], stdin: Data? = nil, currentDirectory: String? = nil,
                        environment: [String: String]? = nil, timeout: Double? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    final class Box: @unchecked Sendable { var data = Data(); var killed = false }
    let errBox = Box(), timer = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errBox.data = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let deadline = timeout.map { seconds in
        let item = DispatchWorkItem {
            timer.killed = true
            kill(process.processIdentifier, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
        return item
    }
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try? input.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    deadline?.cancel()
    return ProcessResult(status: process.terminationStatus,
                         crashed: process.terminationReason == .uncaughtSignal && !timer.killed, timedOut: timer.killed,
                         stdout: outData, stderr: String(decoding: errBox.data, as: UTF8.self))
}

/// Runs a built executable (e.g. "stick", "gen-prompts").
package func runTool(_ tool: String, _ arguments: [String], stdin: Data? = nil, currentDirectory: String? = nil,
                     environment: [String: String]? = nil, timeout: Double? = nil) throws -> ProcessResult {
    try runProcess(TestPaths.binaries.appendingPathComponent(tool).path, arguments, stdin: stdin,
                   currentDirectory: currentDirectory, environment: environment, timeout: timeout)
}

/// Runs a Python script (argv[1...] = `arguments`), failing the test if Python fails.
package func runPython(_ script: String, _ arguments: [String]) throws {
    try requireSuccess(runProcess("/usr/bin/env", ["python3", "-c", script] + arguments), "python3")
}

/// Runs the Python script file at `path` with `arguments`, failing the test if it fails.
package func runPython(file path: String, _ arguments: [String]) throws {
    try requireSuccess(runProcess("/usr/bin/env", ["python3", path] + arguments), "python3 \(path)")
}

/// Runs `/bin/sh -c script`, failing the test if it fails.
package func shell(_ script: String) throws {
    try requireSuccess(runProcess("/bin/sh", ["-c", script]), script)
}

/// `sh -c script`'s standard output (whatever its exit status).
package func runShellCapturing(_ script: String) throws -> String {
    try runProcess("/bin/sh", ["-c", script]).stdoutText
}

private func requireSuccess(_ result: ProcessResult, _ what: String) throws {
    try #require(result.status == 0, "failed (exit \(result.status)): \(what)\n\(result.stderr)")
}

/// A child that lives beyond the call that starts it (a server, a run to interrupt); `stop()` (or deinit) kills
/// it with SIGKILL — a child of the test runner may inherit a mask that blocks SIGTERM — and reaps it.
open class BackgroundProcess: @unchecked Sendable {
    package let process = Process()
    package var pid: pid_t { process.processIdentifier }
    package var isRunning: Bool { process.isRunning }

    /// Starts `executable`; stdout and stderr go to the files `stdout` and `stderr` (created or appended to; one
    /// file when both name it) or nowhere.
    package init(_ executable: String, _ arguments: [String], stdout: String? = nil, stderr: String? = nil,
                 currentDirectory: String? = nil, environment: [String: String]? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        if let environment { process.environment = environment }
        func appending(_ path: String?) throws -> FileHandle {
            guard let path else { return FileHandle.nullDevice }
            if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            handle.seekToEndOfFile()
            return handle
        }
        let out = try appending(stdout)
        process.standardOutput = out
        process.standardError = stderr == stdout && stdout != nil ? out : try appending(stderr)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Sends `signal` (the child decides what it means).
    package func signal(_ signal: Int32) { if process.isRunning { kill(pid, signal) } }

    /// Waits up to `seconds` for the child to exit by itself: its exit status (minus the signal's number when a
    /// signal ended it), or nil when it is still running.
    package func wait(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { return nil }
        process.waitUntilExit()
        return process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
    }

    package func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// A Python server on a free loopback port, which it writes to `portFile` once listening.
open class PythonServer: BackgroundProcess, @unchecked Sendable {
    /// Known once the server has written it (before `init` returns).
    package private(set) var port = 0

    package init(arguments: [String], portFile: String) throws {
        try super.init("/usr/bin/env", ["python3"] + arguments)
        var found: Int?
        for _ in 0..<200 where found == nil {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8) {
                found = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            if found == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        guard let found else {
            stop()
            throw StickError("the test server \(arguments.first ?? "") did not start")
        }
        port = found
    }
}

/// Runs an external program and returns its exit status and stdout.
package func runExternal(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: Data) {
    let result = try runProcess(executable, arguments)
    return (result.status, result.stdout)
}

/// Runs a built tool with no input, killing it after `seconds`: whether it had to be killed and whether it died
/// of a signal (a crash).
package func runToolBounded(_ tool: String, _ arguments: [String], seconds: Double) throws -> (status: Int32, crashed: Bool, timedOut: Bool, stderr: String) {
    let result = try runTool(tool, arguments, timeout: seconds)
    return (result.status, result.crashed, result.timedOut, result.stderr)
}

/// CPU seconds of the calling thread: a bound on work that other load on the machine does not move.
package func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// A free loopback TCP port: bind to port 0, read the port the kernel chose, close.
package func freeLoopbackPort() throws -> Int {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw StickError("socket() failed: errno \(errno)") }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    guard bound == 0 else { throw StickError("bind() failed: errno \(errno)") }
    let named = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    guard named == 0 else { throw StickError("getsockname() failed: errno \(errno)") }
    return Int(UInt16(bigEndian: addr.sin_port))
}
