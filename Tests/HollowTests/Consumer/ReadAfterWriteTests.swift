import Foundation
import HollowCore
import HollowTesting
import Synchronization
import Testing
@testable import Hollow

/// A service that changed the source of truth waits until its consumer serves a version with the
/// change, whatever the moment of the change relative to the producer's cycles.
@Suite struct ReadAfterWriteTests {
    /// By time: a dataset that changes every cycle (as most do: here a heartbeat record), so that
    /// the version after the one that began reading before a change always comes.
    @Test func aWriterSeesItsChangeInTheVersionItWaitedFor() async throws {
        try await writesAreSeen(heartbeat: true) { consumer, _ in
            try await consumer.waitUntilServing(changesMadeAt: Date(), slack: .zero, within: .seconds(120))
        }
    }

    /// By content: a dataset that goes quiet after each write (a change carried by the cycle that
    /// was reading when it was made ends a wait by time only at the next change).
    @Test func aWriterOfAQuietDatasetWaitsForWhatItWrote() async throws {
        try await writesAreSeen(heartbeat: false) { consumer, change in
            try await consumer.waitUntilServing(within: .seconds(120)) { state in
                TestCatalog.movies(in: state.readState)[Int64(change % 30)]?.title == "changed \(change)"
            }
        }
    }

    private func writesAreSeen(heartbeat: Bool, _ wait: (Consumer, Int) async throws -> ConsumerState) async throws {
        let rig = Rig()
        let database = Mutex(TestCatalog.movies(30))
        let producer = rig.producer()
        let consumer = rig.consumer()
        // A producer reading the database every 20 ms, and a consumer following the log.
        let failures = Mutex<[String]>([])
        let producing = Task {
            while !Task.isCancelled {
                // The sources are read inside the cycle: what was changed before it began is in it.
                if heartbeat { database.withLock { $0[1_000] = TestCatalog.Movie(id: 1_000, title: "\(ContinuousClock.now)", year: 2000, stamp: 0) } }
                do { _ = try await producer.runCycle { state in try TestCatalog.populate(state, database.withLock { $0 }) } } catch {
                    failures.withLock { $0.append("\(error)") }
                }
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
            let state: ConsumerState
            do { state = try await wait(consumer, change) } catch {
                Issue.record("change \(change): \(error); the producer's failed cycles: \(failures.withLock { $0.suffix(3) })")
                return
            }
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
