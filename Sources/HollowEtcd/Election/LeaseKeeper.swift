import Logging
import Synchronization

/// A lease this participant holds, kept alive every TTL/3 by a background task, and how long it
/// surely lasts: until the time the last successful keep-alive was *sent*, plus the TTL. The
/// deadline is measured on `ContinuousClock`, which keeps counting while a process is stopped
/// (SIGSTOP): a process that wakes past it sees the lease as gone without asking etcd.
final class LeaseKeeper: Sendable {
    let id: Int64
    let ttl: Duration
    private let client: EtcdClient
    private let logger: Logger
    private struct State {
        var deadline: ContinuousClock.Instant
        /// Why the lease is known to be gone (nil: it lasts until the deadline).
        var lost: String?
        var task: Task<Void, Never>?
        var onLoss: (@Sendable (String) -> Void)?
    }
    private let state: Mutex<State>

    /// A lease granted by a request sent at `sentAt`.
    init(lease: EtcdLease, sentAt: ContinuousClock.Instant, client: EtcdClient, logger: Logger) {
        id = lease.id
        ttl = .seconds(lease.ttl)
        self.client = client
        self.logger = logger
        state = Mutex(State(deadline: sentAt + .seconds(lease.ttl)))
    }

    /// Nil while the lease surely lasts; else why it may not.
    var lossReason: String? {
        state.withLock { state in
            if let lost = state.lost { return lost }
            return ContinuousClock.now < state.deadline ? nil : "no keep-alive reached etcd before the lease's deadline"
        }
    }

    var deadline: ContinuousClock.Instant { state.withLock { $0.deadline } }

    func start() {
        let task = Task { [weak self] in
            guard let interval = self.map({ $0.ttl / 3 }) else { return }
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                guard let self, await self.renew() else { return }
            }
        }
        state.withLock { $0.task = task }
    }

    /// Calls `action` once the keep-alives find the lease gone (etcd says so, or they failed until
    /// the deadline passed), so that a loss is noticed without anyone asking.
    func whenLost(_ action: @escaping @Sendable (String) -> Void) {
        state.withLock { $0.onLoss = action }
    }

    /// Stops the keep-alives; etcd expires the lease after its TTL unless it is revoked.
    func stop() {
        state.withLock { $0.task }?.cancel()
    }

    /// One keep-alive. Returns false when there is no point in going on (the lease is gone, or the
    /// task was cancelled).
    private func renew() async -> Bool {
        let sentAt = ContinuousClock.now
        do throws(EtcdError) {
            let remaining = try await client.keepAlive(lease: id)
            guard remaining > 0 else {
                state.withLock { $0.lost = $0.lost ?? "etcd says the lease expired" }
                reportLoss()
                return false
            }
            state.withLock { $0.deadline = max($0.deadline, sentAt + .seconds(remaining)) }
            return true
        } catch .cancelled {
            return false
        } catch {
            // Transient until the deadline passes: the next keep-alive may get through.
            logger.warning("lease keep-alive failed", metadata: ["lease": "\(id)", "error": "\(error)"])
            if lossReason != nil {
                reportLoss()
                return false
            }
            return !Task.isCancelled
        }
    }

    private func reportLoss() {
        guard let reason = lossReason, let action = state.withLock({ $0.onLoss }) else { return }
        action(reason)
    }
}
