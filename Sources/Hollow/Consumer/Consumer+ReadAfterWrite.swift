import Foundation
import HollowCore

/// Read-after-write across hosts: a service that has just changed the source of truth waits until
/// its own consumer serves a version that carries the change.
///
///     try await catalogDatabase.update(movie)          // the source the producer reads
///     let changedAt = Date()
///     let state = try await consumer.waitUntilServing(changesMadeAt: changedAt, within: .seconds(90))
///
/// Every announcement says when its cycle began to read the sources
/// (`Announcement.sourcesReadAtMilliseconds`, the producer's clock): a change committed before
/// then is in that version. The hosts' clocks must agree to well within a cycle (NTP); `slack`
/// covers what they may differ by. When the version is known (a producer in the same process, or
/// one that reports the version of each cycle), wait for it by number instead.
///
/// A change made while a cycle was reading may be carried by that cycle already; the wait then ends
/// only with the next version, which comes when the dataset changes again. For a dataset that can
/// go quiet, wait for what was written: `waitUntilServing(within:where:)` with a check of the record.
extension Consumer {
    /// Waits until this consumer serves `version` or a later one, through its own refreshes (run
    /// it as a `Service` or call `watch()` in a task); this does not refresh it.
    @discardableResult
    public func waitUntilServing(version: UInt64, within timeout: Duration = .seconds(60)) async throws(WaitTimedOut) -> ConsumerState {
        try await waitUntilServing(awaited: "version \(version)", within: timeout) { $0.version >= version }
    }

    /// Waits until this consumer serves a version whose producer began reading its sources at or
    /// after `changedAt` plus `slack`: one that carries every change made by then.
    @discardableResult
    public func waitUntilServing(changesMadeAt changedAt: Date, slack: Duration = .milliseconds(500),
                                 within timeout: Duration = .seconds(60)) async throws(WaitTimedOut) -> ConsumerState {
        let after = Int64((changedAt.timeIntervalSince1970 * 1000).rounded(.up)) + slack.milliseconds
        return try await waitUntilServing(awaited: "a version with the changes made at \(changedAt)", within: timeout) { state in
            (state.announcement.sourcesReadAtMilliseconds ?? .min) >= after
        }
    }

    /// Waits until this consumer serves a state for which `isCarried` holds (the record a service
    /// wrote, looked up in the state's index, has the value written, say).
    @discardableResult
    public func waitUntilServing(within timeout: Duration = .seconds(60),
                                 where isCarried: (ConsumerState) -> Bool) async throws(WaitTimedOut) -> ConsumerState {
        try await waitUntilServing(awaited: "a state with the change looked for", within: timeout, isCarried)
    }

    private func waitUntilServing(awaited: String, within timeout: Duration,
                                  _ isCarried: (ConsumerState) -> Bool) async throws(WaitTimedOut) -> ConsumerState {
        let deadline = ContinuousClock.now + timeout
        // Short polls first (a refresh takes milliseconds), then up to 20 ms: a waiting service
        // costs an atomic load now and then.
        var poll = Duration.milliseconds(1)
        while true {
            if let state = current, isCarried(state) { return state }
            let lastSeen = currentVersion.map { "version \($0)" } ?? "nothing served"
            guard ContinuousClock.now < deadline else { throw WaitTimedOut(awaited: awaited, lastSeen: lastSeen, timeout: timeout) }
            do { try await Task.sleep(for: poll) } catch {
                throw WaitTimedOut(awaited: awaited + " (the wait was cancelled)", lastSeen: lastSeen, timeout: timeout)
            }
            poll = min(poll * 2, .milliseconds(20))
        }
    }
}
