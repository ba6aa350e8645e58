// The embedded synthetic demo dataset (`--dataset demo`), so the whole pipeline runs offline on a
// fresh machine. Its texts live in DemoDatasetContent.swift.
import Foundation
import StickArtifacts

public enum DemoDataset {
    /// Loads the embedded dataset; opener set hashes are those `stick data demo -o DIR` would write.
    public static func load() throws -> Dataset {
        var manifest: DatasetManifest
        do {
            manifest = try JSONDecoder().decode(DatasetManifest.self, from: Data(DemoDatasetContent.manifestJSON.utf8))
        } catch {
            throw StickError("the embedded demo dataset is broken: \(describeDecodingError(error))")
        }
        var sets: [String: [Opener]] = [:]
        let decoder = JSONDecoder()
        for (i, info) in manifest.openerSets.enumerated() {
            guard let text = DemoDatasetContent.openers[info.id] else {
                throw StickError("the embedded demo dataset has no openers for '\(info.id)'")
            }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            sets[info.id] = try lines.map { try decoder.decode(Opener.self, from: Data($0.utf8)) }
            manifest.openerSets[i].count = sets[info.id]!.count
            manifest.openerSets[i].sha256 = SHA256Hex.of(try DatasetWriter.openerFile(setID: info.id, records: sets[info.id]!))
        }
        let dataset = Dataset(manifest: manifest, openerSets: sets, location: "demo",
                              manifestSHA256: SHA256Hex.of(DemoDatasetContent.manifestJSON))
        try dataset.validate(file: "<embedded demo dataset>")
        return dataset
    }
}
