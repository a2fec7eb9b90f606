import Foundation
import Hollow

/// Progress of a long read on standard error: a bar redrawn in place on a terminal, a plain line
/// every 25% otherwise (logs stay readable). Quiet with `--json`.
final class Progress {
    private let label: String
    private let total: Int
    private let enabled: Bool
    private let interactive = Terminal.isInteractive
    private let started = ContinuousClock.now
    private var lastQuarter = 0
    private var lastDraw = ContinuousClock.now

    init(_ label: String, total: Int, enabled: Bool) {
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let fraction = min(Double(done) / Double(total), 1)
        if interactive {
            let now = ContinuousClock.now
            guard now - lastDraw > .milliseconds(100) || done >= total else { return }
            lastDraw = now
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(Int(fraction * 100))% \(rate(done))\u{1B}[K".utf8))
        } else {
            let quarter = Int(fraction * 4)
            guard quarter > lastQuarter, quarter < 4 else { return }
            lastQuarter = quarter
            Terminal.error("\(label): \(quarter * 25)% \(rate(done))")
        }
    }

    func finish(_ summary: String) {
        guard enabled else { return }
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        Terminal.error("\(label): \(summary) in \(Terminal.formatDuration(ContinuousClock.now - started))")
    }

    private func rate(_ done: Int) -> String {
        let elapsed = ContinuousClock.now - started
        let seconds = elapsed.seconds
        guard seconds > 0.05 else { return "" }
        return "\(Terminal.formatBytes(Int(Double(done) / seconds)))/s"
    }
}
