import HollowCore
import Testing
@testable import Hollow
import HollowTesting

/// A producer whose last announced state cannot be rebuilt from the store does not stop production
/// for good: it announces a fresh snapshot of its sources, and consumers follow by the snapshot path.
@Suite struct UnrestorableStateTests {
    /// Three versions announced by one producer.
    private func announceThreeVersions(_ rig: Rig, _ movies: inout [Int64: TestCatalog.Movie]) async throws {
        let first = rig.producer()
        for cycle in 1...3 {
            movies[Int64(cycle)]!.stamp = Int32(cycle)
            try await first.cycle(movies)
        }
    }

    @Test func aProducerThatCannotRestoreAnnouncesAFreshSnapshot() async throws {
        let rig = Rig()
        var movies = TestCatalog.movies(50)
        try await announceThreeVersions(rig, &movies)
        let consumer = rig.consumer()
        try await consumer.refresh()
        #expect(consumer.currentVersion == 3)
        for name in rig.store.names { rig.store.replace(name, with: [0, 1, 2]) }

        let restarted = rig.producer(.init(producerID: "restarted"))
        movies[10]!.title = "after the damage"
        let version = try #require(try await restarted.cycle(movies))
        #expect(version == 4)
        let announcement = try #require(rig.log.currentHistory.announcement(of: 4))
        #expect(announcement.snapshot != nil && announcement.delta == nil && announcement.previousVersion == nil)

        // The consumer on version 3 moves by the snapshot path; one that starts now loads it too.
        #expect(try await consumer.refresh().steps.map(\.kind) == [.snapshot])
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
        let late = rig.consumer()
        try await late.refresh()
        #expect(TestCatalog.movies(in: late.current!.readState) == movies)

        // And the chain goes on from the fresh state by deltas.
        movies[11]!.title = "and on"
        #expect(try await restarted.cycle(movies) == 5)
        #expect(try await consumer.refresh().path == "1 delta")
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
    }

    @Test func aMissingBlobIsAsPermanentAsADamagedOne() async throws {
        let rig = Rig()
        var movies = TestCatalog.movies(50)
        try await announceThreeVersions(rig, &movies)
        // Every blob that could rebuild version 3 is gone (the reverse deltas stay: an empty store
        // would look like an unmounted directory, which is not given up on).
        for name in rig.store.names where !name.text.hasPrefix("reverse-") { rig.store.drop(name) }
        let restarted = rig.producer(.init(producerID: "restarted"))
        #expect(try await restarted.restore() == nil)  // started afresh, said so, and does not retry
        #expect(try await restarted.cycle(movies) == 4)
        #expect(rig.log.currentHistory.latest?.previousVersion == nil)
    }

    @Test func anEmptyStoreIsNotGivenUpOn() async throws {
        let rig = Rig()
        var movies = TestCatalog.movies(50)
        try await announceThreeVersions(rig, &movies)
        let saved = rig.store.names.map { ($0, rig.store.bytes(of: $0)!) }
        for (name, _) in saved { rig.store.drop(name) }  // an unmounted directory looks like this
        let restarted = rig.producer(.init(producerID: "restarted"))
        await #expect(throws: ProducerError.self) { try await restarted.cycle(movies) }
        for (name, bytes) in saved { rig.store.replace(name, with: bytes) }
        movies[10]!.title = "after the remount"
        #expect(try await restarted.cycle(movies) == 4)
        #expect(rig.log.currentHistory.latest?.previousVersion == 3)
    }

    @Test func aStoreOutOfReachIsNotGivenUpOn() async throws {
        let rig = Rig()
        var movies = TestCatalog.movies(50)
        try await announceThreeVersions(rig, &movies)
        rig.store.failsReads = true
        let restarted = rig.producer(.init(producerID: "restarted"))
        await #expect(throws: ProducerError.self) { try await restarted.cycle(movies) }
        #expect(rig.log.currentHistory.latest?.version == 3)
        rig.store.failsReads = false
        movies[10]!.title = "after the outage"
        #expect(try await restarted.cycle(movies) == 4)
        #expect(rig.log.currentHistory.latest?.previousVersion == 3)  // a delta: the chain held
    }

    /// The changes alone must not become the dataset: an incremental cycle needs the records.
    @Test func anIncrementalCycleAfterAnUnrestorableStateIsRefused() async throws {
        let rig = Rig()
        var movies = TestCatalog.movies(50)
        try await announceThreeVersions(rig, &movies)
        for name in rig.store.names { rig.store.replace(name, with: [0, 1, 2]) }
        let restarted = rig.producer(.init(producerID: "restarted"))
        await #expect {
            try await restarted.runIncrementalCycle { _ in }
        } throws: { error in
            guard case .incremental(let message) = error as? ProducerError else { return false }
            return message.contains("run a full cycle")
        }
        #expect(rig.log.currentHistory.latest?.version == 3)
        #expect(try await restarted.cycle(movies) == 4)  // a full cycle goes on
    }
}
