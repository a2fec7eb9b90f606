import PropertyBased
import Testing
@testable import Hollow
import HollowTesting

/// `loadableVersions` says exactly which versions a consumer starting from nothing can still load.
@Suite struct LoadableVersionsTests {
    @Test func loadableVersionsAreThoseAFreshConsumerLoads() async throws {
        for seed in 1...8 as ClosedRange<UInt64> {
            let rig = Rig()
            let producer = rig.producer(.init(producerID: "test", snapshotEvery: 3, snapshotsToKeep: nil))
            var movies = TestCatalog.movies(20)
            var random = Xoshiro(seed: seed)
            for cycle in 1...8 {
                movies[Int64(cycle)]!.stamp = Int32(cycle)
                try await producer.cycle(movies)
            }
            for name in rig.store.names where Double.random(in: 0..<1, using: &random) < 0.25 { rig.store.drop(name) }
            let history = rig.log.currentHistory
            let loadable = UpdatePlanner().loadableVersions(history: history, storedBlobs: Set(rig.store.names))
            for announcement in history.announcements {
                let consumer = rig.consumer(.init())
                let loaded = (try? await consumer.refresh(to: announcement.version)) != nil
                #expect(loaded == loadable.contains(announcement.version), "seed \(seed), version \(announcement.version)")
            }
        }
    }

    @Test func everyVersionIsLoadableWhenNoBlobIsMissing() async throws {
        let rig = Rig()
        let producer = rig.producer(.init(producerID: "test", snapshotEvery: 4, snapshotsToKeep: nil))
        for cycle in 1...6 { try await producer.cycle(TestCatalog.movies(10 + cycle)) }
        #expect(UpdatePlanner().loadableVersions(history: rig.log.currentHistory, storedBlobs: Set(rig.store.names)) == Set(1...6))
        #expect(UpdatePlanner().loadableVersions(history: rig.log.currentHistory, storedBlobs: []).isEmpty)
    }
}
