import Foundation
import HollowCore
import PropertyBased
import Testing
@testable import Hollow
import HollowTesting

@Suite struct ProducerTurnTests {
    /// Cycles called at once run one after the other: each is a delta from the one before.
    @Test func overlappingCyclesRunInTurn() async throws {
        let rig = Rig()
        let producer = rig.producer()
        try await producer.cycle(TestCatalog.movies(20))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for stamp in 1...4 {
                group.addTask {
                    _ = try await producer.runCycle { state in
                        try await Task.sleep(for: .milliseconds(20))  // suspends mid-cycle
                        try TestCatalog.populate(state, TestCatalog.movies(20, stamp: Int32(stamp)))
                    }
                }
            }
            try await group.waitForAll()
        }
        let announcements = rig.log.currentHistory.announcements
        #expect(announcements.map(\.version) == [1, 2, 3, 4, 5])
        for (previous, next) in zip(announcements, announcements.dropFirst()) {
            #expect(next.previousStateID == previous.stateID && next.delta != nil)
        }
        let consumer = rig.consumer()
        try await consumer.refresh(to: 1)
        #expect(try await consumer.refresh().path == "4 deltas")
    }

    @Test func anIncrementalCycleAfterASchemaChangeIsRefused() async throws {
        let rig = Rig()
        let producer = rig.producer()
        try await producer.cycle(TestCatalog.movies(10))
        var text = TestCatalog.schema.description
        text = text.replacingOccurrences(of: "stamp: int", with: "stamp: int\n    extra: int?")
        await producer.setSchema(try Schema(parsing: text))
        let error = await #expect(throws: ProducerError.self) { _ = try await producer.runIncrementalCycle { _ in } }
        #expect(error.map { "\($0)" }?.contains("schema changed") == true)
        #expect(rig.log.currentHistory.announcements.count == 1)
    }
}

/// Without an election, a second producer on the same log is noticed, not followed.
@Suite struct UnelectedProducersTests {
    @Test func aProducerThatFindsAVersionItDidNotAnnounceStops() async throws {
        let rig = Rig()
        let first = rig.producer(.init(producerID: "first"))
        let second = rig.producer(.init(producerID: "second"))
        var movies = TestCatalog.movies(20)
        #expect(try await first.cycle(movies) == 1)
        var others = TestCatalog.movies(5)
        others[1]!.title = "another dataset"
        #expect(try await second.cycle(others) == 2)  // restores version 1 (it has not announced yet), then announces
        movies[2]!.title = "the first producer's next cycle"
        await #expect {
            try await first.cycle(movies)
        } throws: { error in
            guard case .anotherProducerAnnounced(2, "second") = error as? ProducerError else { return false }
            return true
        }
        // It stays stopped: the datasets never take turns.
        await #expect(throws: ProducerError.self) { try await first.cycle(movies) }
        #expect(rig.log.currentHistory.announcements.map(\.producerID) == ["first", "second"])
        #expect(ProducerError.anotherProducerAnnounced(version: 2, producerID: "second").description.contains("--lease"))
    }

    @Test func aRestartedProducerIsNotAnotherProducer() async throws {
        let rig = Rig()
        var movies = TestCatalog.movies(20)
        #expect(try await rig.producer(.init(producerID: "before-restart")).cycle(movies) == 1)
        let restarted = rig.producer(.init(producerID: "after-restart"))
        movies[3]!.title = "changed"
        #expect(try await restarted.cycle(movies) == 2)
        movies[4]!.title = "changed again"
        #expect(try await restarted.cycle(movies) == 3)
    }
}
