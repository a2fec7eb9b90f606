import Logging
import NIOCore
import Synchronization

/// A lease this participant holds, kept alive every TTL/3 from an event loop of the HTTP client
/// (not the Swift concurrency pool, which a cycle's CPU work may keep busy), and how long it
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
        var task: RepeatedTask?
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

    func start() {
        let interval = ttl / 3
        let delay = EtcdClient.timeAmount(interval)
        // Each keep-alive gets a third of the TTL: one that hangs gives way to the next tick.
        let timeout = min(client.configuration.requestTimeout, max(interval, .milliseconds(500)))
        let eventLoop = client.http.eventLoopGroup.next()
        let task = eventLoop.scheduleRepeatedAsyncTask(initialDelay: delay, delay: delay) { [weak self] repeated in
            guard let self else {
                repeated.cancel()
                return eventLoop.makeSucceededVoidFuture()
            }
            return self.renew(timeout: timeout, repeated: repeated)
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

    /// One keep-alive; stops the repetition when there is no point in going on (the lease is gone).
    private func renew(timeout: Duration, repeated: RepeatedTask) -> EventLoopFuture<Void> {
        let sentAt = ContinuousClock.now
        return client.keepAliveOnEventLoop(lease: id, timeout: timeout)
            .map { remaining in
                guard remaining > 0 else {
                    self.state.withLock { $0.lost = $0.lost ?? "etcd says the lease expired" }
                    repeated.cancel()
                    self.reportLoss()
                    return
                }
                self.state.withLock { $0.deadline = max($0.deadline, sentAt + .seconds(remaining)) }
            }
            .recover { error in
                // Transient until the deadline passes: the next keep-alive may get through.
                self.logger.warning("lease keep-alive failed", metadata: ["lease": "\(self.id)", "error": "\(error)"])
                if self.lossReason != nil {
                    repeated.cancel()
                    self.reportLoss()
                }
            }
    }

    private func reportLoss() {
        guard let reason = lossReason, let action = state.withLock({ $0.onLoss }) else { return }
        action(reason)
    }
}
