import Hollow

struct NeverLeader: LeaderElection {
    func currentLeadership() async throws(LeaderElectionError) -> Leadership? { nil }
    func waitForLeadership() async throws(LeaderElectionError) -> Leadership { throw .cancelled }
    func resign() async {}
}
