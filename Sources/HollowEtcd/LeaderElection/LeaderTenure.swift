import Synchronization

/// One won election: the term, the lease that holds the leader key, the task that watches the key,
/// and why it ended if it did.
final class LeaderTenure: Sendable {
    let term: UInt64
    let lease: LeaseKeeper
    private struct State {
        var lost: String?
        var watcher: Task<Void, Never>?
    }
    private let state = Mutex(State())

    init(term: UInt64, lease: LeaseKeeper) {
        self.term = term
        self.lease = lease
    }

    /// Nil while this tenure lasts; else why it ended.
    var lossReason: String? { state.withLock { $0.lost } ?? lease.lossReason }

    func lose(_ reason: String) { state.withLock { $0.lost = $0.lost ?? reason } }

    func setWatcher(_ task: Task<Void, Never>) { state.withLock { $0.watcher = task } }

    /// Stops the key's watch and the lease's keep-alives.
    func stop() {
        state.withLock { $0.watcher }?.cancel()
        lease.stop()
    }
}
