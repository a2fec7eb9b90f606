import Hollow
import HollowCore

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
