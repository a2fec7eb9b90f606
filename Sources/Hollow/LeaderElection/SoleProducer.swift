/// The election of a deployment with one producer: it always leads, with a fixed term. The default
/// of `Producer`; run a real election (a lock with a lease, etcd) as soon as there are standbys.
///
/// Its term is 0, which no election gives (their terms start at 1): a log fenced by a lease refuses
/// a sole producer's announcement once producers of the store have been elected.
public struct SoleProducer: LeaderElection {
    public let term: UInt64

    public init(term: UInt64 = 0) { self.term = term }

    public func currentLeadership() async throws(LeaderElectionError) -> Leadership? { Leadership(term: term) }
    public func waitForLeadership() async throws(LeaderElectionError) -> Leadership { Leadership(term: term) }
    public func resign() async {}
}
