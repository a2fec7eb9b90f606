import HollowCore
import PropertyBased
import Testing
@testable import Hollow
import HollowTesting

@Suite struct MemoryStabilityTests {
    /// Pools and ordinals do not leak across deltas: after 1,000 cycles changing 1% each, the
    /// consumer's state takes no more than 10% more memory than after the first 10.
    @Test func memoryAfter1000CyclesStaysWithin10PercentOfTheFirst10() async throws {
        let rig = Rig()
        let producer = rig.producer(.init(producerID: "test", snapshotEvery: 100, snapshotsToKeep: 1))
        let consumer = rig.consumer()
        var generator = Xoshiro(seed: 11)
        // A dataset whose size does not drift: 500 of the ids 0..<1000, titles of one length,
        // stamps below 16; each cycle swaps a record for a new one or retitles one, 5 times (1%).
        func movie(_ id: Int64, _ cycle: Int) -> TestCatalog.Movie {
            TestCatalog.Movie(id: id, title: "Movie \(id + 10_000) \(cycle % 10)", year: 2000, stamp: Int32(cycle % 16), tags: ["t\(id % 7)"])
        }
        var movies: [Int64: TestCatalog.Movie] = [:]
        for id in Int64(0)..<500 { movies[id] = movie(id, 0) }
        var absent = Array(Int64(500)..<1_000)
        var early = 0
        for cycle in 1...1_000 {
            for _ in 0..<(cycle == 1 ? 0 : 5) {
                let id = movies.keys.randomElement(using: &generator)!
                if Bool.random(using: &generator) {
                    movies[id] = movie(id, cycle)
                } else {
                    let slot = Int.random(in: absent.indices, using: &generator)
                    let added = absent[slot]
                    absent[slot] = id
                    movies[id] = nil
                    movies[added] = movie(added, cycle)
                }
            }
            try await producer.cycle(movies)
            try await consumer.refresh()
            await Task.yield()  // a long CPU-bound loop: let the parallel suite's other tasks run
            if cycle == 10 { early = consumer.current!.readState.memory.totalBytes }
        }
        let late = consumer.current!.readState.memory.totalBytes
        #expect(Double(late) <= Double(early) * 1.10, "\(early) bytes after 10 cycles, \(late) after 1,000")
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
        #expect(rig.store.names.count <= 3 * 100 + 1, "the cleaner keeps one snapshot's worth of blobs")
    }
}
