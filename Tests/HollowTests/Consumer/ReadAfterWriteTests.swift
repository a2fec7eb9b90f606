import Foundation
import HollowCore
import HollowTesting
import Synchronization
import Testing
@testable import Hollow

/// A service that changed the source of truth waits until its consumer serves a version with the
/// change, whatever the moment of the change relative to the producer's cycles.
@Suite struct ReadAfterWriteTests {
    @Test func aWriterSeesItsChangeInTheVersionItWaitedFor() async throws {
        let rig = Rig()
        let database = Mutex(TestCatalog.movies(30))
        let producer = rig.producer()
        let consumer = rig.consumer()
        // A producer reading the database every 20 ms, and a consumer following the log.
        let producing = Task {
            while !Task.isCancelled {
                // The sources are read inside the cycle: what was changed before it began is in it.
                _ = try? await producer.runCycle { state in try TestCatalog.populate(state, database.withLock { $0 }) }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        let watching = Task { await consumer.watch() }
        defer {
            producing.cancel()
            watching.cancel()
        }
        for change in 1...25 {
            // Changes land at every point of the producer's cycle: before, during, after its read.
            try await Task.sleep(for: .microseconds(Int64.random(in: 0...25_000)))
            database.withLock { $0[Int64(change % 30)]!.title = "changed \(change)" }
            let state = try await consumer.waitUntilServing(changesMadeAt: Date(), slack: .zero, within: .seconds(60))
            #expect(TestCatalog.movies(in: state.readState)[Int64(change % 30)]?.title == "changed \(change)", "change \(change), version \(state.version)")
            #expect(state.announcement.sourcesReadAtMilliseconds != nil)
        }
    }

    @Test func aWaitThatRunsOutSaysWhatItSaw() async throws {
        let rig = Rig()
        let consumer = rig.consumer()
        await #expect {
            try await consumer.waitUntilServing(changesMadeAt: Date(), within: .milliseconds(30))
        } throws: { error in
            "\(error)".contains("nothing served")
        }
    }
}
