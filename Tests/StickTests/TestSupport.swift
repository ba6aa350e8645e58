// Shared test helpers: where the shared reference data and fixtures are, scratch directories, and
// running the built executables.
import Foundation
import StickArtifacts
import Testing

enum TestPaths {
    /// The package root (this file is Tests/StickTests/TestSupport.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the package.
    static let shared: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// The public reference data: $STICK_REFERENCE_DATA or ../shared/reference; nil when absent.
    static var referenceData: String? {
        let candidate = ProcessInfo.processInfo.environment["STICK_REFERENCE_DATA"]
            ?? shared.appendingPathComponent("reference").path
        return FileManager.default.fileExists(atPath: candidate + "/personas/real_world_people/personas.json") ? candidate : nil
    }

    /// ../shared/fixtures, nil when absent.
    static var fixtures: String? {
        let p = shared.appendingPathComponent("fixtures").path
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }

    /// The directory holding the built executables (beside the test bundle).
    static var binaries: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // The XCTest bundle on Linux is a file in the build directory; step out of a bundle directory if any.
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "MacOS" || dir.lastPathComponent == "Contents" {
            dir = dir.deletingLastPathComponent()
        }
        if FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("stick").path) { return dir }
        return packageRoot.appendingPathComponent(".build/debug")
    }
}

/// A fresh directory removed at deinit.
final class ScratchDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "stick-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

struct ProcessResult {
    var status: Int32
    var stdout: Data
    var stderr: String
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs a built executable (e.g. "stick", "gen-prompts") with `arguments` and optional stdin.
func runTool(_ tool: String, _ arguments: [String], stdin: Data? = nil, currentDirectory: String? = nil,
             environment: [String: String]? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = TestPaths.binaries.appendingPathComponent(tool)
    process.arguments = arguments
    if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    // Drain both pipes concurrently so a large output cannot block the child.
    final class Box: @unchecked Sendable { var data = Data() }
    let errBox = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errBox.data = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try? input.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errBox.data, as: UTF8.self))
}

/// The non-empty lines of a (possibly compressed) file.
func readLines(_ path: String) throws -> [String] {
    let text = String(decoding: try Inputs.readAll(path), as: UTF8.self)
    return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}

/// Runs a Python script (argv[1...] = `arguments`), failing the test if Python fails.
func runPython(_ script: String, _ arguments: [String]) throws {
    try runPython(arguments: ["-c", script] + arguments)
}

/// Runs the Python script file at `path` with `arguments`, failing the test if it fails.
func runPython(file path: String, _ arguments: [String]) throws {
    try runPython(arguments: [path] + arguments)
}

private func runPython(arguments: [String]) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3"] + arguments
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    try #require(p.terminationStatus == 0, "python3 failed: \(String(decoding: errData, as: UTF8.self))")
}

/// Runs `/bin/sh -c script`, failing the test if it fails.
func shell(_ script: String) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", script]
    try p.run()
    p.waitUntilExit()
    try #require(p.terminationStatus == 0, "failed: \(script)")
}

/// Every entry below `root` (files, directories, links, without following links), relative and sorted;
/// [] when `root` is absent.
func treeEntries(_ root: String) -> [String] {
    guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
    var out: [String] = []
    while let rel = e.nextObject() as? String { out.append(rel) }
    return out.sorted()
}

/// A Python server on a free loopback port, which it writes to `portFile` once listening; killed
/// (SIGKILL: a child of the test runner may inherit a mask that blocks SIGTERM) by `stop` or at deinit.
class PythonServer {
    let process = Process()
    let port: Int

    init(arguments: [String], portFile: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var found: Int?
        for _ in 0..<200 where found == nil {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8) {
                found = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            if found == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        guard let found else {
            kill(process.processIdentifier, SIGKILL)
            throw StickError("the test server \(arguments.first ?? "") did not start")
        }
        port = found
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// Runs an external program and returns its exit status and stdout.
func runExternal(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: Data) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, data)
}

/// Two leaderboard files the same but for their inputs' sha256: two runs of a pipeline give metrics files
/// that differ in bytes (responses record latencies, and each artifact names its inputs by hash), the
/// values not; the leaderboard names its metrics exactly, so only those hashes may differ.
func sameLeaderboardButInputHashes(_ a: String, _ b: String) throws -> Bool {
    func stripped(_ path: String) throws -> JSONValue {
        let document = try OrderedJSON.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
        guard case .object(var o) = document, case .array(let inputs)? = o["inputs"] else { return document }
        o["inputs"] = .array(inputs.map { input in
            guard case .object(var i) = input else { return input }
            i["sha256"] = nil
            return .object(i)
        })
        return .object(o)
    }
    return try stripped(a) == stripped(b)
}
