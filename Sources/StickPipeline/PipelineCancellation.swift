// Stopping a run from outside (SIGINT/SIGTERM to `stick pipeline run`): the command installs signal
// sources and calls `cancel(signal:)`; the runner then starts nothing new, every registered process
// group (each stage command runs as the leader of one) gets SIGTERM and, if still there after
// `killGrace` seconds, SIGKILL. Groups register as they are spawned, so one spawned just after the
// cancel is signalled at once.
import Foundation

public final class PipelineCancellation: @unchecked Sendable {
    private let condition = NSCondition()
    private var groups = Set<pid_t>()
    private var received: Int32?
    /// Seconds between SIGTERM and SIGKILL.
    public let killGrace: Double

    public init(killGrace: Double = 10) { self.killGrace = killGrace }

    /// The signal that cancelled the run, or nil.
    public var signal: Int32? { condition.withLock { received } }
    public var isCancelled: Bool { signal != nil }

    /// Cancels the run (once; later calls do nothing): SIGTERM to every registered group now, SIGKILL
    /// to those still registered after the grace period.
    public func cancel(signal: Int32) {
        let current: Set<pid_t>? = condition.withLock {
            guard received == nil else { return nil }
            received = signal
            condition.broadcast()
            return groups
        }
        guard let current else { return }
        for g in current { _ = kill(-g, SIGTERM) }
        DispatchQueue.global().asyncAfter(deadline: .now() + killGrace) { [self] in
            for g in condition.withLock({ groups }) { _ = kill(-g, SIGKILL) }
        }
    }

    /// A process group to stop on cancel; signalled at once when the run is already cancelled.
    func register(_ group: pid_t) {
        let cancelled = condition.withLock { () -> Bool in
            groups.insert(group)
            return received != nil
        }
        if cancelled { _ = kill(-group, SIGTERM) }
    }

    /// The group is done (its leader reaped and its output drained).
    func unregister(_ group: pid_t) {
        _ = condition.withLock { groups.remove(group) }
    }

    /// Sleeps up to `seconds`; returns early, with true, when the run is cancelled.
    func sleep(_ seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        return condition.withLock {
            while received == nil, condition.wait(until: deadline) {}
            return received != nil
        }
    }
}

/// The run was stopped by a signal. `stages` were running and were stopped (not recorded in the lock,
/// their outputs deleted); `notStarted` never started.
public struct PipelineInterrupted: Error, Sendable, CustomStringConvertible {
    public var signal: Int32
    public var stages: [String]
    public var notStarted: [String]
    /// Slurm job ids cancelled with scancel.
    public var cancelledJobs: [String] = []

    /// 128 + the signal, as shells report it.
    public var exitStatus: Int32 { 128 + signal }

    public var signalName: String {
        switch signal {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        default: return "signal \(signal)"
        }
    }

    public var description: String {
        var text = "interrupted by \(signalName): "
        if stages.isEmpty {
            text += "no stage was running"
        } else {
            text += "stopped \(stages.joined(separator: ", ")) (not recorded in the lock, outputs deleted)"
        }
        if !cancelledJobs.isEmpty { text += "; cancelled Slurm job\(cancelledJobs.count == 1 ? "" : "s") \(cancelledJobs.joined(separator: ", "))" }
        if !notStarted.isEmpty { text += "; not started: \(notStarted.joined(separator: ", "))" }
        return text
    }
}
