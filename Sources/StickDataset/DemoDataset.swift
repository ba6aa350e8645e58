// The embedded synthetic demo dataset (`gen-prompts demo`), so the whole pipeline runs offline on a
// fresh machine. Its master is the dataset directory pipelines/datasets/demo/; Generated/DemoDatasetFiles.swift
// embeds its files (Tests/Generate/generate-embeddings.py writes it, a test keeps it current).
import Foundation
import StickArtifacts

public enum DemoDataset {
    /// Loads the embedded copy of pipelines/datasets/demo/ with the checks of any dataset directory.
    ///
    /// The demo is named by the sha256 of pipelines/datasets/demo-identity.json, not of its dataset.json:
    /// those are the bytes of the manifest as the demo was first embedded, whose hash every sessions
    /// header made from `gen-prompts demo` records (and pipeline lock files with it). dataset.json is that
    /// manifest as `stick data demo` writes it (sorted keys, opener hashes filled in), so hashing it would
    /// rename the same data. A test keeps both saying the same.
    public static func load() throws -> Dataset {
        let files = DemoDatasetFiles.files
        guard let manifest = files[Dataset.manifestFileName] else {
            throw StickError("the embedded demo dataset has no \(Dataset.manifestFileName)")
        }
        return try Dataset.load(manifest: Data(manifest.utf8), location: "demo",
                                manifestSHA256: SHA256Hex.of(DemoDatasetFiles.identityManifest),
                                name: { "pipelines/datasets/demo/\($0) (embedded)" }) { relative in
            guard let text = files[relative] else {
                throw StickError("no such file in the embedded demo dataset", file: "pipelines/datasets/demo/\(relative)")
            }
            return EmbeddedFile(Data(text.utf8))
        }
    }
}

/// An embedded file read like one on disk.
private final class EmbeddedFile: ByteSource {
    private let data: Data
    private var offset = 0

    init(_ data: Data) { self.data = data }

    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        let n = min(count, data.count - offset)
        data.copyBytes(to: buffer.assumingMemoryBound(to: UInt8.self), from: offset..<(offset + n))
        offset += n
        return n
    }

    func close() {}
}
