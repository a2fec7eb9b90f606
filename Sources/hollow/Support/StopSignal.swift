import Foundation
import Synchronization
import UnixSignals

/// SIGINT and SIGTERM ask the tool to stop after the work in progress; a second one stops it at once.
final class StopSignal: Sendable {
    private let requested = Atomic<Bool>(false)

    /// Traps SIGINT and SIGTERM from now on: the signals are in place when this returns.
    init() async {
        // Ignored, so that only the trap acts on them (as ServiceLifecycle does on Darwin).
        for number in [SIGINT, SIGTERM] { signal(number, SIG_IGN) }
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        // Listens for the life of the process.
        Task { [weak self] in
            for await signal in signals {
                guard let self else { return }
                if self.requested.exchange(true, ordering: .relaxed) { exit(128 + signal.rawValue) }
                Terminal.error("hollow: stopping after the work in progress (again to stop now)")
            }
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
