

/// Decides which of several producers may announce. Small on purpose, so that a file lock, etcd or
/// a test double is a file of its own.
///
/// ``SoleProducer`` is the default, for one producer; ``FileLeaderElection`` elects a leader among
/// producers that share a lease file (<doc:LeaderAndStandbys>).
public protocol LeaderElection: Sendable {
    /// The leadership this participant holds now, or nil when it does not lead. Answers from what
    /// it knows (a lease it keeps alive, say) without waiting on a campaign.
    func currentLeadership() async throws(LeaderElectionError) -> Leadership?
    /// Returns once this participant leads (campaigning as needed).
    func waitForLeadership() async throws(LeaderElectionError) -> Leadership
    /// Gives up leadership, so that a standby can take over without waiting for a lease to expire.
    func resign() async
}
