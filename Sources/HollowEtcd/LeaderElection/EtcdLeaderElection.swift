import Hollow
import Logging
import Synchronization

/// Leader election on etcd: whoever creates `<prefix>/leader` leads, and the key's create
/// revision is the term (a fencing token: every new leader key has a higher one).
///
/// `waitForLeadership()` grants a lease (kept alive every TTL/3 from an event loop, see
/// `LeaseKeeper`) and campaigns with one transaction: create `<prefix>/leader` (value: the
/// participant id, attached to the lease) if it does not exist. When another participant leads, it watches the key until it is deleted (a
/// resignation, an expired lease) and campaigns again; it does not poll. When etcd cannot be
/// reached within the client's retry budget it throws `.unavailable`: a standby calls it again
/// (after a pause) to keep campaigning.
///
/// `currentLeadership()` answers from local knowledge only: the term won, while the lease's local
/// deadline (the time the last successful keep-alive was sent, plus the TTL) has not passed, etcd
/// has not said the lease expired, and the watch of the leader key has not seen it deleted or
/// re-created. A loss is logged once, and the lease is revoked so that a standby takes over at
/// once. The participant may campaign again with `waitForLeadership()` (a new lease, a higher term).
public final class EtcdLeaderElection: LeaderElection {
    public let prefix: String
    public let participantID: String
    /// The TTL asked for, in whole seconds (etcd may raise it to its minimum, 2 s by default).
    public let leaseTTLSeconds: Int64
    let client: EtcdClient
    let logger: Logger
    let leaderKey: [UInt8]
    private let state = Mutex<LeaderTenure?>(nil)

    /// An election among the participants that use `prefix` on the etcd of `connection`. The
    /// lease TTL is rounded up to whole seconds.
    public init(connection: EtcdConnection, prefix: String, participantID: String, leaseTTL: Duration = .seconds(5),
                logger: Logger = Logger(label: "hollow.etcd.election")) {
        var prefix = prefix
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.prefix = prefix
        self.participantID = participantID
        leaseTTLSeconds = max(1, leaseTTL.wholeSecondsRoundedUp)
        client = connection.client
        var logger = logger
        logger[metadataKey: "participant"] = "\(participantID)"
        logger[metadataKey: "election"] = "\(prefix)"
        self.logger = logger
        leaderKey = Array((prefix + "/leader").utf8)
    }

    public func currentLeadership() async throws(LeaderElectionError) -> Leadership? {
        held()
    }

    public func waitForLeadership() async throws(LeaderElectionError) -> Leadership {
        if let leadership = held() { return leadership }
        return try await campaign()
    }

    /// Deletes the leader key if it is still this tenure's, revokes the lease, and stops the
    /// background tasks. A standby's watch sees the delete at once.
    public func resign() async {
        guard let tenure = state.withLock({ state in defer { state = nil }; return state }) else { return }
        tenure.stop()
        let term = Int64(clamping: tenure.term)
        do {
            _ = try await client.txn(compare: [EtcdCompare(leaderKey, .create(term), .equal)], success: [.delete(key: leaderKey)])
        } catch {
            logger.warning("resigning: deleting the leader key failed (the lease is revoked next)", metadata: ["error": "\(error)"])
        }
        do { try await client.revokeLease(tenure.lease.id) } catch {
            logger.debug("resigning: revoking the lease failed", metadata: ["error": "\(error)"])
        }
        logger.info("resigned leadership", metadata: ["term": "\(tenure.term)"])
    }

    /// The leadership held now, checked against the lease's deadline and what the watch saw. A
    /// loss found here is logged and cleaned up once.
    func held() -> Leadership? {
        let (leadership, lost) = state.withLock { state -> (Leadership?, (LeaderTenure, String)?) in
            guard let tenure = state else { return (nil, nil) }
            guard let reason = tenure.lossReason else { return (Leadership(term: tenure.term), nil) }
            state = nil
            return (nil, (tenure, reason))
        }
        if let (tenure, reason) = lost { abandon(tenure, reason: reason) }
        return leadership
    }

    /// Called by the tenure's watch: ends the tenure now if it is still the current one.
    func lose(_ tenure: LeaderTenure, reason: String) {
        tenure.lose(reason)
        let current = state.withLock { state -> Bool in
            guard state === tenure else { return false }
            state = nil
            return true
        }
        if current { abandon(tenure, reason: reason) }
    }

    func install(_ tenure: LeaderTenure) {
        let previous = state.withLock { state in defer { state = tenure }; return state }
        previous?.stop()
    }

    /// Logs the loss, stops the tasks and revokes the lease (in the background: the caller asked a
    /// local question), so that a standby need not wait for the TTL.
    private func abandon(_ tenure: LeaderTenure, reason: String) {
        logger.warning("lost leadership", metadata: ["term": "\(tenure.term)", "reason": "\(reason)"])
        tenure.stop()
        let client = client
        let lease = tenure.lease.id
        Task { try? await client.revokeLease(lease) }
    }

    /// For tests: stops the keep-alives of the current tenure, as a process that stopped renewing
    /// its lease would (the lease then expires in etcd after its TTL).
    func stopKeepAliveForTesting() {
        state.withLock { $0 }?.lease.stop()
    }

    static func unavailable(_ error: EtcdError, _ client: EtcdClient) -> LeaderElectionError {
        if error == .cancelled { return .cancelled }
        return .unavailable(client.explain(error))
    }
}
