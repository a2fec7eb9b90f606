extension EtcdClient {
    /// Waits before try `attempt` (0: the first, no wait): `initialBackoff` before the second,
    /// doubling in `pause` before each further one.
    func backOff(before attempt: Int, pause: inout Duration) async throws(EtcdError) {
        guard attempt > 0 else { return }
        do { try await Task.sleep(for: pause) } catch { throw .cancelled }
        pause *= 2
    }

    /// The error once every try of `operation` failed: `unreachable` at `endpoints` when none
    /// reached etcd (no connection was ever made), else a timeout.
    func exhausted(_ operation: EtcdOperation, failures: [AttemptFailure], endpoints: [String]) -> EtcdError {
        if failures.allSatisfy(\.neverSent), let tls = failures.last(where: { if case .tlsFailed = $0 { true } else { false } }) {
            return .tlsFailed(endpoints: endpoints, reason: tls.reason)
        }
        if failures.allSatisfy(\.neverSent) {
            return .unreachable(endpoints: endpoints, reason: "\(failures.last?.reason ?? "no connection") (\(failures.count) attempts)")
        }
        return .timeout(operation: operation.name, after: configuration.requestTimeout)
    }
}
