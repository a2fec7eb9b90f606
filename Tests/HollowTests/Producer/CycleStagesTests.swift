import Foundation
import HollowCore
import HollowTesting
import Testing
@testable import Hollow

/// Where a cycle's time went: each stage measured, populating as long as the caller's closure at
/// least, every stage of an announced cycle reached, and an unchanged cycle ending after its blobs
/// were written.
@Suite struct CycleStagesTests {
    @Test func eachStageOfACycleIsTimed() async throws {
        let rig = Rig()
        let producer = rig.producer()
        #expect(await producer.lastCycleStages == nil)
        let movies = TestCatalog.movies(200)
        try await producer.runCycle { state in
            try await Task.sleep(for: .milliseconds(50))
            try TestCatalog.populate(state, movies)
        }
        let announced = try #require(await producer.lastCycleStages)
        #expect(announced.populating >= .milliseconds(50))
        #expect(announced.named.map(\.name) == ["preparing", "populating", "writing-blobs", "storing-blobs", "reading-back", "announcing", "cleaning"])
        #expect(announced.named.allSatisfy { $0.duration >= .zero })
        #expect(announced.writingBlobs > .zero && announced.readingBack > .zero, "\(announced)")

        // The same dataset again: nothing to store, read back or announce.
        try await producer.cycle(movies)
        let unchanged = try #require(await producer.lastCycleStages)
        #expect(unchanged.writingBlobs > .zero)
        #expect(unchanged.storingBlobs == .zero && unchanged.readingBack == .zero && unchanged.announcing == .zero)

        // A cycle that fails while populating leaves no stages of its own.
        await #expect(throws: ProducerError.self) {
            try await producer.runCycle { _ in throw CancellationError() }
        }
        #expect(await producer.lastCycleStages == nil)
    }
}
