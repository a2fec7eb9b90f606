import Foundation
import HollowCore
import Synchronization
import Testing
import HollowTesting
@testable import Hollow

/// A directory with a lease file, an election per participant and a log fenced by the lease.
private struct LeaseRig {
    let directory = TemporaryDirectory()
    let lease: LeaseFile
    let log: FileSystemAnnouncementLog

    init() throws {
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        lease = try LeaseFile(path: directory.path + "/leader.lease")
        log = try FileSystemAnnouncementLog(file: directory.path + "/announcements.jsonl", fencedBy: lease)
    }

    func election(_ id: String, lease duration: Duration = .seconds(5), poll: Duration? = nil,
                  termsAboveTheLog: Bool = false) -> FileLeaderElection {
        FileLeaderElection(lease: lease, participantID: id, leaseDuration: duration, pollInterval: poll,
                           announcementLog: termsAboveTheLog ? log : nil, logger: quiet)
    }

    func announcement(_ version: UInt64, term: UInt64) -> Announcement {
        Announcement(version: version, previousVersion: nil, stateID: version, previousStateID: nil, snapshot: nil, delta: nil,
                     reverseDelta: nil, term: term, producerID: "p", timestampMilliseconds: 0)
    }
}

@Suite struct FileLeaderElectionTests {
    @Test func theFirstCampaignWinsTermOneAndAStandbyWaits() async throws {
        let rig = try LeaseRig()
        defer { rig.directory.remove() }
        // A short lease: only renewals keep it through the 3 s below. (At 300 ms, two cores busy
        // with the whole suite could starve the renewal thread past the lease.)
        let a = rig.election("a", lease: .seconds(1)), b = rig.election("b")
        #expect(try await a.waitForLeadership() == Leadership(term: 1))
        #expect(try await b.currentLeadership() == nil)
        let standby = Task { try await b.waitForLeadership() }
        // Renewals keep a's lease for many lease lengths.
        try await Task.sleep(for: .seconds(3))
        #expect(try await a.currentLeadership() == Leadership(term: 1))
        #expect(try rig.lease.read()?.holder == "a")
        await a.resign()
        #expect(try await standby.value == Leadership(term: 2))
        #expect(try await a.currentLeadership() == nil)
        #expect(try rig.lease.read() .map { ($0.term, $0.holder) } ?? (0, "") == (2, "b"))
    }

    @Test func aKilledLeaderIsReplacedOnceItsLeaseRunsOut() async throws {
        let rig = try LeaseRig()
        defer { rig.directory.remove() }
        var a: FileLeaderElection? = rig.election("a", lease: .milliseconds(300))
        #expect(try await a!.waitForLeadership().term == 1)
        let aExpiry = try #require(try rig.lease.read()).expiresAtMilliseconds
        a = nil  // gone without resigning: its renewals stop
        let b = rig.election("b", lease: .milliseconds(300))
        #expect(try await b.waitForLeadership().term == 2)
        // Not before a's lease ran out: the record a last renewed is gone by then.
        #expect(LeaseFile.nowMilliseconds() >= aExpiry)
        let record = try #require(try rig.lease.read())
        #expect(record.holder == "b" && record.term == 2)
    }

    @Test func aPausedLeaderNoLongerLeadsAndTheLogFencesIt() async throws {
        let rig = try LeaseRig()
        defer { rig.directory.remove() }
        let a = rig.election("a", lease: .milliseconds(300))
        let first = try await a.waitForLeadership()
        try await rig.log.append(rig.announcement(1, term: first.term))
        a.stopRenewing()  // paused: it does nothing until the lease is gone

        try await Task.sleep(for: .milliseconds(400))
        // Run out but not taken: no term is current, the old one is refused.
        await #expect(throws: AnnouncementLogError.fenced(term: 1, currentTerm: nil)) {
            try await rig.log.append(rig.announcement(2, term: first.term))
        }
        let b = rig.election("b")
        let second = try await b.waitForLeadership()
        #expect(second.term == 2)
        // The paused leader wakes: it sees its lease passed, and the log refuses its term.
        #expect(try await a.currentLeadership() == nil)
        await #expect(throws: AnnouncementLogError.fenced(term: 1, currentTerm: 2)) {
            try await rig.log.append(rig.announcement(2, term: first.term))
        }
        try await rig.log.append(rig.announcement(2, term: second.term))
        #expect(try await rig.log.history().announcements.map(\.term) == [1, 2])
        // Pins are an operator's, not a producer's: not fenced.
        try await rig.log.pin(1)
    }

    @Test func aLeaderThatWasPausedCampaignsAgainWithANewTerm() async throws {
        let rig = try LeaseRig()
        defer { rig.directory.remove() }
        let a = rig.election("a", lease: .milliseconds(300))
        #expect(try await a.waitForLeadership().term == 1)
        a.stopRenewing()
        try await Task.sleep(for: .milliseconds(400))
        // Nobody took over, yet the lease is not revived: the next leadership is a new term.
        #expect(try await a.waitForLeadership().term == 2)
    }

    @Test func manyParticipantsRacingHaveOneLeaderPerTermAndTermsRise() async throws {
        let rig = try LeaseRig()
        defer { rig.directory.remove() }
        let elections = (0..<6).map { rig.election("p\($0)", poll: .milliseconds(5)) }
        let leaders = Leaders()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for election in elections {
                group.addTask {
                    for _ in 0..<2 {
                        let leadership = try await election.waitForLeadership()
                        leaders.record(leadership.term)
                        try await Task.sleep(for: .milliseconds(20))
                        await election.resign()
                    }
                }
            }
            try await group.waitForAll()
        }
        let terms = leaders.terms
        #expect(terms.count == 12)
        #expect(Set(terms).count == 12, "a term was given twice: \(terms)")
        #expect(terms == terms.sorted())
    }

    @Test func aDamagedLeaseFileIsAClearError() async throws {
        let rig = try LeaseRig()
        defer { rig.directory.remove() }
        try Data("not a lease".utf8).write(to: URL(fileURLWithPath: rig.lease.path))
        let error = await #expect(throws: LeaderElectionError.self) { try await rig.election("a").waitForLeadership() }
        #expect(error?.description.contains("leader.lease is 11 bytes") == true)
        await #expect(throws: AnnouncementLogError.self) { try await rig.log.append(rig.announcement(1, term: 1)) }
        #expect(throws: LeaderElectionError.unavailable("the lease file's directory /nonexistent does not exist")) {
            try LeaseFile(path: "/nonexistent/leader.lease")
        }
    }

    @Test func aSoleProducerAnnouncesOnlyWhileNobodyWasEverElected() async throws {
        let rig = try LeaseRig()
        defer { rig.directory.remove() }
        // No lease file: a sole producer's term 0 is the current one, an elected term is not.
        try await rig.log.append(rig.announcement(1, term: SoleProducer().term))
        await #expect(throws: AnnouncementLogError.fenced(term: 1, currentTerm: 0)) { try await rig.log.append(rig.announcement(2, term: 1)) }
        let a = rig.election("a")
        #expect(try await a.waitForLeadership().term == 1)
        await #expect(throws: AnnouncementLogError.fenced(term: 0, currentTerm: 1)) { try await rig.log.append(rig.announcement(2, term: 0)) }
        try await rig.log.append(rig.announcement(2, term: 1))
    }

    @Test func aParticipantIDWithSpacesAndQuotesKeepsTheLeaseReadable() async throws {
        let rig = try LeaseRig()
        defer { rig.directory.remove() }
        let a = rig.election("feed a \"nightly\" ")
        #expect(try await a.waitForLeadership().term == 1)
        #expect(try rig.lease.read()?.holder == "feed a \"nightly\" ")
        await a.resign()
        #expect(try await rig.election("b").waitForLeadership().term == 2)
    }

    @Test func waitingForLeadershipEndsWhenTheTaskIsCancelled() async throws {
        let rig = try LeaseRig()
        defer { rig.directory.remove() }
        let a = rig.election("a")
        _ = try await a.waitForLeadership()
        let b = rig.election("b")
        let standby = Task { try await b.waitForLeadership() }
        try await Task.sleep(for: .milliseconds(50))
        standby.cancel()
        await #expect(throws: LeaderElectionError.cancelled) { try await standby.value }
    }

    /// Two producers on files: the standby takes over after the leader resigns, from the leader's
    /// last state, and its first cycle is a delta.
    @Test func aStandbyProducerTakesOverWithADelta() async throws {
        let rig = try LeaseRig()
        defer { rig.directory.remove() }
        let store = try FileSystemBlobStore(directory: rig.directory.path + "/blobs")
        func producer(_ id: String) -> Producer {
            Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: rig.log, leaderElection: rig.election(id),
                     configuration: .init(producerID: id), logger: quiet)
        }
        let a = producer("a"), b = producer("b")
        var movies = TestCatalog.movies(40)
        try await a.waitForLeadership()
        try await a.cycle(movies)
        await #expect(throws: ProducerError.self) { try await b.cycle(movies) }  // not the leader
        let takeover = Task { try await b.waitForLeadership() }
        movies[1]!.stamp = 2
        try await a.cycle(movies)
        await a.resign()
        #expect(try await takeover.value.term == 2)
        #expect(await b.lastAnnounced?.version == 2)
        movies[2]!.stamp = 3
        #expect(try await b.cycle(movies) == 3)
        let latest = try #require(try await rig.log.history().latest)
        #expect(latest.term == 2 && latest.previousVersion == 2 && latest.delta != nil && latest.producerID == "b")
        let consumer = Consumer(blobStore: store, announcementLog: rig.log, logger: quiet)
        try await consumer.refresh()
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
    }
}

/// Terms never go back in the log, even when the lease file that counts them is deleted.
@Suite struct LeaseFileDeletedTests {
    /// Versions 1-3 announced in terms 1-3 (a leader resigning after each), then the lease deleted.
    private func threeTermsThenTheLeaseDeleted(_ rig: LeaseRig, _ store: FileSystemBlobStore, _ movies: [Int64: TestCatalog.Movie]) async throws {
        var movies = movies
        for term in 1...3 {
            let producer = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: rig.log,
                                    leaderElection: rig.election("p\(term)"), configuration: .init(producerID: "p\(term)"), logger: quiet)
            #expect(try await producer.waitForLeadership().term == UInt64(term))
            movies[Int64(term)]!.stamp = Int32(term)
            try await producer.cycle(movies)
            await producer.resign()
        }
        try FileManager.default.removeItem(atPath: rig.lease.path)
    }

    @Test func theLogRefusesATermBelowItsLast() async throws {
        let rig = try LeaseRig()
        defer { rig.directory.remove() }
        let store = try FileSystemBlobStore(directory: rig.directory.path + "/blobs")
        try await threeTermsThenTheLeaseDeleted(rig, store, TestCatalog.movies(20))
        let producer = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: rig.log,
                                leaderElection: rig.election("unaware"), configuration: .init(producerID: "unaware"), logger: quiet)
        #expect(try await producer.waitForLeadership().term == 1)  // the lease file counts from 1 again
        await #expect {
            try await producer.cycle(TestCatalog.movies(21))
        } throws: { error in
            guard case .leadershipLost(1, 3) = error as? ProducerError else { return false }
            return true
        }
        #expect(try await rig.log.history().latest?.version == 3)
    }

    @Test func anElectionThatKnowsTheLogCampaignsAboveIt() async throws {
        let rig = try LeaseRig()
        defer { rig.directory.remove() }
        let store = try FileSystemBlobStore(directory: rig.directory.path + "/blobs")
        try await threeTermsThenTheLeaseDeleted(rig, store, TestCatalog.movies(20))
        let producer = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: rig.log,
                                leaderElection: rig.election("aware", lease: .milliseconds(300), termsAboveTheLog: true),
                                configuration: .init(producerID: "aware"), logger: quiet)
        let started = ContinuousClock.now
        #expect(try await producer.waitForLeadership().term == 4)
        // It waited one lease first: a leader that lost the file with it had time to see it is deposed.
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        #expect(try await producer.cycle(TestCatalog.movies(21)) == 4)
        #expect(try await rig.log.history().latest?.term == 4)
    }

    @Test func theInMemoryLogRefusesLowerTermsToo() async throws {
        let rig = try LeaseRig()
        defer { rig.directory.remove() }
        let log = InMemoryAnnouncementLog()
        try await log.append(rig.announcement(1, term: 4))
        await #expect(throws: AnnouncementLogError.fenced(term: 2, currentTerm: 4)) { try await log.append(rig.announcement(2, term: 2)) }
        try await log.append(rig.announcement(2, term: 4))
        // And the file log, appended to directly (no lease: only term 0 before any election).
        let unfenced = try FileSystemAnnouncementLog(file: rig.directory.path + "/unfenced.jsonl")
        try await unfenced.append(rig.announcement(1, term: 4))
        await #expect(throws: AnnouncementLogError.fenced(term: 3, currentTerm: 4)) { try await unfenced.append(rig.announcement(2, term: 3)) }
        try await unfenced.append(rig.announcement(2, term: 5))
    }
}

/// The terms won, in the order they were won.
private final class Leaders: Sendable {
    private let won = Mutex<[UInt64]>([])
    func record(_ term: UInt64) { won.withLock { $0.append(term) } }
    var terms: [UInt64] { won.withLock { $0 } }
}
