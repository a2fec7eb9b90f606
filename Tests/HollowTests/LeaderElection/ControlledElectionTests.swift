import HollowCore
import Testing
@testable import Hollow
import HollowTesting

@Suite struct ControlledElectionTests {
    @Test func theFirstToWaitLeadsAndExpiryHandsOverToTheLongestWaiting() async throws {
        let election = ControlledElection()
        let a = election.participant("a"), b = election.participant("b"), c = election.participant("c")
        #expect(try await a.waitForLeadership() == Leadership(term: 1))
        let second = Task { try await b.waitForLeadership() }
        while !election.standbys.contains("b") { try await Task.sleep(for: .milliseconds(1)) }
        let third = Task { try await c.waitForLeadership() }
        while !election.standbys.contains("c") { try await Task.sleep(for: .milliseconds(1)) }
        #expect(election.expire()?.participant == "b")
        #expect(try await second.value == Leadership(term: 2))
        #expect(try await a.currentLeadership() == nil)
        await b.resign()
        #expect(try await third.value == Leadership(term: 3))
        #expect(election.terms.map(\.leader) == ["a", "b", "c"])
    }

    @Test func revokeLeavesNobodyLeadingUntilAGrant() async throws {
        let election = ControlledElection()
        let a = election.participant("a"), b = election.participant("b")
        _ = try await a.waitForLeadership()
        election.revoke()
        #expect(election.currentTerm == nil)
        let waiting = Task { try await b.waitForLeadership() }
        try await Task.sleep(for: .milliseconds(20))
        #expect(election.leader == nil)
        election.grant(to: "b")
        #expect(try await waiting.value == Leadership(term: 2))
    }

    @Test func aPausedLeaderStillBelievesItLeadsButTheLogFencesIt() async throws {
        let deployment = InMemoryDeployment()
        let a = deployment.makeProducer("a", schema: TestCatalog.schema, logger: quiet)
        try await a.waitForLeadership()
        try await a.cycle(TestCatalog.movies(10))
        deployment.election.pause("a")
        deployment.election.expire()
        #expect(try await deployment.election.participant("a").currentLeadership() == Leadership(term: 1))
        let error = await #expect(throws: ProducerError.self) { try await a.cycle(TestCatalog.movies(11)) }
        guard case .leadershipLost(term: 1, currentTerm: nil)? = error else {
            Issue.record("expected leadership lost, got \(String(describing: error))")
            return
        }
        #expect(deployment.latestVersion == 1)
        deployment.election.resume("a")
        #expect(try await deployment.election.participant("a").currentLeadership() == nil)
    }

    @Test func aPausedStandbyDoesNotWinUntilResumed() async throws {
        let election = ControlledElection()
        _ = try await election.participant("a").waitForLeadership()
        let b = Task { try await election.participant("b").waitForLeadership() }
        while !election.standbys.contains("b") { try await Task.sleep(for: .milliseconds(1)) }
        election.pause("b")
        #expect(election.expire() == nil)
        #expect(election.leader == nil)
        election.resume("b")
        #expect(try await b.value == Leadership(term: 2))
    }

    @Test func waitingIsCancellable() async throws {
        let election = ControlledElection()
        _ = try await election.participant("a").waitForLeadership()
        let waiting = Task { try await election.participant("b").waitForLeadership() }
        try await Task.sleep(for: .milliseconds(10))
        waiting.cancel()
        await #expect(throws: LeaderElectionError.cancelled) { try await waiting.value }
    }
}
