// Writes a dataset directory (dataset.json + openers/*.jsonl) atomically: into a sibling staging
// directory first, renamed into place when complete.
import Foundation
import StickArtifacts

public enum DatasetWriter {
    /// The bytes of `openers/<id>.jsonl`: the header line, then one opener per line.
    public static func openerFile(setID: String, records: [Opener]) throws -> Data {
        let header = ArtifactHeader(kind: .openers, params: JSONObject([("set", .string(setID))]))
        var data = try StickJSON.headerLine(header)
        for r in records { data.append(try StickJSON.line(r)) }
        return data
    }

    /// Writes `manifest` and `openers` (by opener set id) to `directory`, filling in each opener set's
    /// file, count and sha256. Refuses a non-empty `directory` unless `overwrite`.
    @discardableResult
    public static func write(manifest: DatasetManifest, openers: [String: [Opener]], to directory: String,
                             overwrite: Bool = false, extraFiles: [String: Data] = [:]) throws -> DatasetManifest {
        let fm = FileManager.default
        if let contents = try? fm.contentsOfDirectory(atPath: directory), !contents.isEmpty, !overwrite {
            throw StickError("the output directory is not empty; use --force to replace it", file: directory)
        }
        let parent = (directory as NSString).deletingLastPathComponent
        let parentDir = parent.isEmpty ? "." : parent
        try fm.createDirectory(atPath: parentDir, withIntermediateDirectories: true)
        let staging = (parentDir as NSString).appendingPathComponent(
            ".\((directory as NSString).lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try fm.createDirectory(atPath: (staging as NSString).appendingPathComponent("openers"),
                               withIntermediateDirectories: true)
        var committed = false
        defer { if !committed { try? fm.removeItem(atPath: staging) } }

        var final = manifest
        final.openerSets = try manifest.openerSets.map { info in
            guard let records = openers[info.id] else { throw StickError("no openers given for set '\(info.id)'") }
            var updated = info
            updated.file = "openers/\(info.id.replacingOccurrences(of: "/", with: "_")).jsonl"
            let path = (staging as NSString).appendingPathComponent(updated.file)
            let bytes = try openerFile(setID: info.id, records: records)
            try withOutput(path) { try $0.write(bytes) }
            updated.count = records.count
            updated.sha256 = SHA256Hex.of(bytes)
            return updated
        }
        let data = try StickJSON.encoder(pretty: true).encode(final) + Data("\n".utf8)
        try data.write(to: URL(fileURLWithPath: (staging as NSString).appendingPathComponent(Dataset.manifestFileName)))
        for (name, bytes) in extraFiles {
            try bytes.write(to: URL(fileURLWithPath: (staging as NSString).appendingPathComponent(name)))
        }
        if fm.fileExists(atPath: directory) { try fm.removeItem(atPath: directory) }
        try fm.moveItem(atPath: staging, toPath: directory)
        committed = true
        return final
    }
}
