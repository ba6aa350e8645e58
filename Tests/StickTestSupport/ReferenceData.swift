// The public reference data imported once per test process, and the reference's request streams
// (../shared/fixtures/reference-stream).
import Foundation
import StickArtifacts
import StickDataImport
import StickDataset
import StickGenPrompts

/// The reference data imported once for all tests (import and session generation take seconds).
package enum ImportedReference {
    package struct Loaded: @unchecked Sendable {
        package let directory: String
        package let dataset: Dataset
        package let sessions: [String: SessionRecord]  // by id
    }

    package static let loaded: Result<Loaded, Error>? = {
        guard let source = TestPaths.referenceData else { return nil }
        return Result {
            let dir = NSTemporaryDirectory() + "stick-ref-\(getpid())"
            try? FileManager.default.removeItem(atPath: dir)
            _ = try ReferenceImporter.importDataset(from: source, to: dir)
            let dataset = try Dataset.load(dir)
            let (design, _, _) = try Design.load("leaderboard")
            var sessions: [String: SessionRecord] = [:]
            try SessionGenerator.generate(dataset: dataset, design: design,
                                          selection: SessionSelection(personas: Set(0..<5))) { sessions[$0.id] = $0 }
            return Loaded(directory: dir, dataset: dataset, sessions: sessions)
        }
    }()

    package static func get() throws -> Loaded {
        guard let loaded else { throw SkipReason.noReference }
        return try loaded.get()
    }
}

package enum SkipReason: Error, CustomStringConvertible {
    case noReference
    package var description: String { "reference data absent: set STICK_REFERENCE_DATA or provide ../shared/reference" }
}

package struct FixtureRequest: Decodable {
    package struct Message: Decodable, Equatable {
        package var role: String
        package var content: String
        package init(role: String, content: String) { self.role = role; self.content = content }
    }
    package var context: String
    package var persona_index: Int
    package var kind: String
    package var step: Int
    package var model: String
    package var temperature: Double
    package var max_tokens: Int
    package var messages: [Message]
}

package func fixtureRequests(_ variant: String) throws -> [FixtureRequest] {
    let path = TestPaths.fixtures! + "/reference-stream/\(variant)/expected-requests.jsonl.zst"
    let decoder = JSONDecoder()
    return try readLines(path).map { try decoder.decode(FixtureRequest.self, from: Data($0.utf8)) }
}

package let referenceAvailable = TestPaths.referenceData != nil && TestPaths.fixtures != nil
