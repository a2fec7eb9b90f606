import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM ask the tool to stop after the work in progress; a second one stops it at once.
final class StopSignal: Sendable {
    private let requested = Atomic<Bool>(false)
    /// Kept alive for the process; only `init` (called once, before any concurrency) touches it.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                if self.requested.exchange(true, ordering: .relaxed) { exit(128 + number) }
                Terminal.error("hollow: stopping after the work in progress (again to stop now)")
            }
            source.resume()
            Self.sources.append(source)
        }
    }

    var isRequested: Bool { requested.load(ordering: .relaxed) }

    /// Runs `operation` until it returns or a stop is requested; then it is cancelled and the
    /// result is nil.
    func unlessStopped<Result: Sendable>(_ operation: @escaping @Sendable () async throws -> Result) async throws -> Result? {
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                while !self.isRequested { try await Task.sleep(for: .milliseconds(50)) }
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// Sleeps for `duration`, or until a stop is requested.
    func sleep(_ duration: Duration) async {
        let end = ContinuousClock.now + duration
        while !isRequested, ContinuousClock.now < end {
            try? await Task.sleep(for: min(.milliseconds(50), end - ContinuousClock.now))
        }
    }
}

/// `30s`, `500ms`, `5m`, `1h`, or a number of seconds.
struct ScheduleDuration {
    let duration: Duration

    /// Between a millisecond and a year.
    init?(_ text: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let (number, scale) = units.first { text.hasSuffix($0.0) }.map { (text.dropLast($0.0.count), $0.1) } ?? (Substring(text), 1)
        guard let value = Double(number), value.isFinite else { return nil }
        let milliseconds = value * scale * 1000
        guard milliseconds >= 1, milliseconds <= 366 * 86_400_000 else { return nil }
        duration = .milliseconds(Int64(milliseconds))
    }
}
