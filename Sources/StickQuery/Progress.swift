// Progress on stderr: a one-line bar on a terminal, plain periodic lines otherwise, nothing with --quiet.
import Foundation
import StickArtifacts

actor ProgressReporter {
    let style: QueryOptions.ProgressStyle
    let total: Int
    let interval: Double
    private let start = DispatchTime.now()
    private var done: Int
    private let replayed: Int
    private var errors = 0
    private var tokens = 0

    init(style: QueryOptions.ProgressStyle, total: Int, alreadyDone: Int, interval: Double) {
        self.style = style
        self.total = total
        self.interval = interval
        done = alreadyDone
        replayed = alreadyDone
    }

    func record(_ r: ResponseRecord) {
        if r.error == nil { done += 1 } else { errors += 1 }
        tokens += (r.usage?.promptTokens ?? 0) + (r.usage?.completionTokens ?? 0)
    }

    func runTicker() async {
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
            if Task.isCancelled { break }
            report(final: false)
        }
    }

    func finish() { report(final: true) }

    private func report(final: Bool) {
        guard style != .quiet else { return }
        let elapsed = max(1e-9, Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
        let fresh = done - replayed
        let rate = Double(fresh) / elapsed
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let text = String(format: "query: %d/%d calls (%.0f%%)  %.1f calls/s  %.0f tokens/s  errors %d  ETA %@",
                          done, total, 100 * Double(done) / Double(max(1, total)), rate, Double(tokens) / elapsed,
                          errors, Self.duration(eta))
        if style == .bar {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text + (final ? "\n" : "")).utf8))
        } else {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%dh%02dm", t / 3600, t % 3600 / 60) : String(format: "%dm%02ds", t / 60, t % 60)
    }
}
