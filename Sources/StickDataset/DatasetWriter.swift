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

    /// Refuses an output that would destroy something this command did not make: a link, a non-empty
    /// directory that is not a dataset, and (without `overwrite`) an existing file or dataset.
    public static func checkOutput(_ directory: String, overwrite: Bool) throws {
        var st = stat()
        guard lstat(directory, &st) == 0 else { return }
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            if contents.isEmpty { return }
            guard contents.contains(Dataset.manifestFileName) else {
                throw StickError("the output directory holds files that are not a stick dataset; not replacing them "
                    + "(choose another -o, or remove it yourself)", file: directory)
            }
            guard overwrite else { throw StickError("the output directory holds a dataset; use --force to replace it", file: directory) }
        case S_IFLNK:
            throw StickError("the output is a symbolic link; not replacing it (remove it or choose another -o)", file: directory)
        default:
            guard overwrite else {
                throw StickError("the output exists and is a file, not a dataset directory; use --force to replace it", file: directory)
            }
        }
    }

    public static func parentDirectory(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    /// Writes `manifest` and `openers` (by opener set id) to `directory`, filling in each opener set's
    /// file, count and sha256. Refuses what `checkOutput` refuses. The dataset is built in a staging
    /// directory beside `directory` and renamed into place when complete.
    @discardableResult
    public static func write(manifest: DatasetManifest, openers: [String: [Opener]], to directory: String,
                             overwrite: Bool = false, extraFiles: [String: Data] = [:]) throws -> DatasetManifest {
        let fm = FileManager.default
        try checkOutput(directory, overwrite: overwrite)
        let parentDir = parentDirectory(of: directory)
        try fm.createDirectory(atPath: parentDir, withIntermediateDirectories: true)
        StagingDirectory.removeAbandoned(in: parentDir, purpose: "dataset")
        let scratch = try StagingDirectory(in: parentDir, purpose: "dataset")
        defer { scratch.remove() }
        let staging = scratch.file("dataset")
        try fm.createDirectory(atPath: (staging as NSString).appendingPathComponent("openers"),
                               withIntermediateDirectories: true)

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
        // What is replaced was checked above to be empty, a dataset, or (with --force) a file.
        var st = stat()
        if lstat(directory, &st) == 0 {
            let old = scratch.file("replaced")
            try fm.moveItem(atPath: directory, toPath: old)
        }
        try fm.moveItem(atPath: staging, toPath: directory)
        return final
    }
}
