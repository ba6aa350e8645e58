// One run of a pipeline at a time: `stick pipeline run` deletes and rewrites the stages' outputs and the
// lock file, so two runs of one spec would write the same files. A run takes an exclusive flock(2) on
// `.<spec stem>.lock.run` beside the spec (demo.yaml → .demo.lock.run) for its whole duration and writes
// its holder into it ("pid 123 on host since 2025-01-01T12:00:00Z"); a second run fails at once and
// names that holder. The kernel drops the flock when the holder exits however it exits, so a file left
// behind by a killed run does not block the next one.
//
// The lock itself is StickArtifacts' OutputLock (removed at the end while still locked, inode checked).
import Foundation
import StickArtifacts

public enum PipelineRunLock {
    /// Takes the run lock at `path` or throws naming its holder; `spec` is the spec path for messages.
    public static func acquire(_ path: String, spec: String) throws -> OutputLock {
        try OutputLock(path) { holder in
            StickError("another run of this pipeline is in progress (\(holder)); it holds the run lock \(path). "
                + "Wait for it to finish", file: spec)
        }
    }
}
