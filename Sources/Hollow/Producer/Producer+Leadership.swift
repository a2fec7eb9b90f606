import HollowCore

// Leading: waiting as a standby, resigning, and the checks a cycle makes.
extension Producer {
    /// Waits until this producer leads (as a standby, for as long as another leads), then loads the
    /// last announced state, so that the first cycle as leader is a delta from it. Throws
    /// `.leaderElection(.cancelled)` when the task is cancelled.
    @discardableResult
    public func waitForLeadership() async throws(ProducerError) -> Leadership {
        let leadership: Leadership
        do { leadership = try await election.waitForLeadership() } catch { throw .leaderElection(error) }
        metrics.becameLeader(term: leadership.term)
        logger.notice("leading", metadata: ["term": "\(leadership.term)"])
        try await restore()
        return leadership
    }

    /// Gives up leadership (a standby takes over without waiting for the lease to run out): call
    /// it when a leading producer shuts down.
    public func resign() async {
        await election.resign()
    }

    func currentLeadership() async throws(ProducerError) -> Leadership? {
        do { return try await election.currentLeadership() } catch { throw .leaderElection(error) }
    }

    func requireLeadership() async throws(ProducerError) -> Leadership {
        guard let leadership = try await currentLeadership() else { throw .notLeader }
        return leadership
    }
}
