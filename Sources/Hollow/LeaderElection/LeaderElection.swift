/// One producer's hold on leadership. The term is a fencing token: it rises at every change of
/// leader, every announcement carries it, and a log that fences refuses a term that is not the
/// current one.
public struct Leadership: Sendable, Hashable, CustomStringConvertible {
    public var term: UInt64

    public init(term: UInt64) { self.term = term }

    public var description: String { "term \(term)" }
}

/// Decides which of several producers may announce. Small on purpose, so that a file lock, etcd or
/// a test double is a file of its own.
public protocol LeaderElection: Sendable {
    /// The leadership this participant holds now, or nil when it does not lead. Answers from what
    /// it knows (a lease it keeps alive, say) without waiting on a campaign.
    func currentLeadership() async throws(LeaderElectionError) -> Leadership?
    /// Returns once this participant leads (campaigning as needed).
    func waitForLeadership() async throws(LeaderElectionError) -> Leadership
    /// Gives up leadership, so that a standby can take over without waiting for a lease to expire.
    func resign() async
}

public enum LeaderElectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The election's backend (a lock file, etcd) cannot be reached or used.
    case unavailable(String)
    case cancelled

    public var description: String {
        switch self {
        case .unavailable(let what): "leader election unavailable: \(what)"
        case .cancelled: "leader election cancelled"
        }
    }
}
