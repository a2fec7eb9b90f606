import Hollow
import HollowCore

/// A test's wait that ran out: what was awaited, and what was seen last.
public struct WaitTimedOut: Error, Sendable, CustomStringConvertible {
    public var awaited: String
    public var lastSeen: String
    public var timeout: Duration

    public var description: String { "waited \(timeout) for \(awaited); last seen: \(lastSeen)" }
}

extension Consumer {
    /// Waits until this consumer serves `version` or a later one, through its own refreshes (run
    /// it as a `Service` or call `watch()` in a task); this does not refresh it.
    @discardableResult
    public func waitUntilServing(version: UInt64, within timeout: Duration = .seconds(60)) async throws(WaitTimedOut) -> ConsumerState {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let state = current, state.version >= version { return state }
            guard ContinuousClock.now < deadline else {
                throw WaitTimedOut(awaited: "version \(version)", lastSeen: currentVersion.map { "version \($0)" } ?? "nothing served", timeout: timeout)
            }
            // A millisecond's poll: a test waits for a refresh that takes about that long.
            do { try await Task.sleep(for: .milliseconds(1)) } catch {
                throw WaitTimedOut(awaited: "version \(version) (the wait was cancelled)", lastSeen: currentVersion.map { "version \($0)" } ?? "nothing served", timeout: timeout)
            }
        }
    }
}

extension Producer {
    /// Runs `count` full cycles, giving `populate` the cycle's number (0 up) and its write state.
    /// Returns what each announced.
    @discardableResult
    public func runCycles(_ count: Int, tags: [String: String] = [:],
                          _ populate: (Int, WriteState) async throws -> Void) async throws(ProducerError) -> [CycleOutcome] {
        var outcomes: [CycleOutcome] = []
        for number in 0..<count {
            outcomes.append(try await runCycle(tags: tags) { state in try await populate(number, state) })
        }
        return outcomes
    }
}
