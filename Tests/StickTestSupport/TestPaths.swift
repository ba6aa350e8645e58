// Where things are for the tests: the package, ../shared's reference data and fixtures, the built
// executables; scratch directories; reading files back.
import Foundation
import StickArtifacts
import Testing

package enum TestPaths {
    /// The package root (this file is Tests/StickTestSupport/TestPaths.swift).
    package static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the package.
    package static let shared: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// The public reference data: $STICK_REFERENCE_DATA or ../shared/reference; nil when absent.
    package static var referenceData: String? {
        let candidate = ProcessInfo.processInfo.environment["STICK_REFERENCE_DATA"]
            ?? shared.appendingPathComponent("reference").path
        return FileManager.default.fileExists(atPath: candidate + "/personas/real_world_people/personas.json") ? candidate : nil
    }

    /// ../shared/fixtures, nil when absent.
    package static var fixtures: String? {
        let p = shared.appendingPathComponent("fixtures").path
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }

    /// The directory holding the built executables (beside the test bundle).
    package static var binaries: URL {
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
package final class ScratchDirectory {
    package let path: String
    package init() throws {
        path = NSTemporaryDirectory() + "stick-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    package func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The non-empty lines of a (possibly compressed) file.
package func readLines(_ path: String) throws -> [String] {
    let text = String(decoding: try Inputs.readAll(path), as: UTF8.self)
    return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}

/// Every entry below `root` (files, directories, links, without following links), relative and sorted;
/// [] when `root` is absent.
package func treeEntries(_ root: String) -> [String] {
    guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
    var out: [String] = []
    while let rel = e.nextObject() as? String { out.append(rel) }
    return out.sorted()
}
