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
