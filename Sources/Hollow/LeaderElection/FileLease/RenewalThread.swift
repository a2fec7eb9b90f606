import Atomics
import Foundation
import Logging
import Synchronization

/// Renews a lease on a thread of its own: the cooperative pool may be busy for seconds with a
/// cycle's CPU work (or a test suite's), and a renewal that waits its turn there loses the lease.
final class RenewalThread: Sendable {
    private let stopped = ManagedAtomic<Bool>(false)

    /// Calls `renew` every `interval` until it returns false or `cancel()`.
    init(every interval: Duration, _ renew: @escaping @Sendable () -> Bool) {
        let seconds = interval.seconds
        let thread = Thread { [stopped] in
            while !stopped.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: seconds)
                if stopped.load(ordering: .relaxed) || !renew() { return }
            }
        }
        thread.name = "hollow-lease-renewal"
        thread.start()
    }

    func cancel() { stopped.store(true, ordering: .relaxed) }
}
