import Foundation
import HollowCore
import PropertyBased
import Testing
@testable import Hollow
import HollowTesting

@Suite struct ProducerConsumerTests {
    @Test func aConsumerFollowsManyCyclesByDeltas() async throws {
        let rig = Rig()
        let producer = rig.producer(.init(producerID: "test", snapshotEvery: 5, snapshotsToKeep: 2))
        let consumer = rig.consumer()
        var generator = Xoshiro(seed: 1)
        var movies = TestCatalog.movies(300)
        for cycle in 1...30 {
            if cycle > 1 { TestCatalog.change(&movies, percent: 5, stamp: Int32(cycle), using: &generator) }
            let version = try #require(try await producer.cycle(movies))
            #expect(version == UInt64(cycle))
            let report = try await consumer.refresh()
            #expect(report.toVersion == version)
            #expect(report.steps.map(\.kind) == (cycle == 1 ? [.snapshot] : [.delta]), "cycle \(cycle): \(report.path)")
            let state = try #require(consumer.current)
            #expect(TestCatalog.movies(in: state.readState) == movies)
            // The primary-key index followed the deltas.
            let index = try #require(state.primaryKeyIndex("Movie"))
            let title = state.readState.objectType("Movie")!.field("title")!
            for movie in movies.values.prefix(20) {
                let ordinal = try #require(index.ordinal(movie.id))
                #expect(state.readState.objectType("Movie")!.string(ordinal, title) == movie.title)
            }
        }
        // The cleaner kept the last two snapshots (versions 26 and 21) and what follows them.
        let history = rig.log.currentHistory
        let kept = Set(history.announcements.filter { $0.version >= 21 }.flatMap { [$0.snapshot, $0.delta, $0.reverseDelta].compactMap { $0?.name } })
        #expect(Set(rig.store.names) == kept)
    }

    @Test func anUnchangedDatasetAnnouncesNothing() async throws {
        let rig = Rig()
        let producer = rig.producer()
        let movies = TestCatalog.movies(50)
        #expect(try await producer.cycle(movies) == 1)
        let blobs = rig.store.names
        let outcome = try await producer.runCycle { state in try TestCatalog.populate(state, movies) }
        guard case .unchanged(let version) = outcome else { Issue.record("expected unchanged, got \(outcome)"); return }
        #expect(version == 1)
        #expect(rig.store.names == blobs)
        #expect(rig.log.currentHistory.announcements.count == 1)
    }

    @Test func aLateConsumerLoadsTheNearestSnapshotAndItsDeltas() async throws {
        let rig = Rig()
        let producer = rig.producer(.init(producerID: "test", snapshotEvery: 4, snapshotsToKeep: nil))
        var generator = Xoshiro(seed: 2)
        var movies = TestCatalog.movies(200)
        for cycle in 1...11 {
            if cycle > 1 { TestCatalog.change(&movies, percent: 10, stamp: Int32(cycle), using: &generator) }
            try await producer.cycle(movies)
        }
        let consumer = rig.consumer()
        let report = try await consumer.refresh()
        // Snapshots at 1, 5 and 9: the nearest is 9, then deltas to 10 and 11.
        #expect(report.steps.map(\.description) == ["snapshot 9", "delta 9 -> 10", "delta 10 -> 11"])
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
    }

    @Test func aPinTakesConsumersBackByReverseDeltasAndUnpinForward() async throws {
        let rig = Rig()
        let producer = rig.producer(.init(producerID: "test", snapshotEvery: 100))
        var generator = Xoshiro(seed: 3)
        var movies = TestCatalog.movies(200)
        var datasets: [UInt64: [Int64: TestCatalog.Movie]] = [:]
        let consumer = rig.consumer()
        for cycle in 1...10 {
            if cycle > 1 { TestCatalog.change(&movies, percent: 10, stamp: Int32(cycle), using: &generator) }
            datasets[try #require(try await producer.cycle(movies))] = movies
            try await consumer.refresh()
        }
        try await rig.log.pin(7)
        let back = try await consumer.refresh()
        #expect(back.steps.map(\.kind) == [.reverseDelta, .reverseDelta, .reverseDelta])
        #expect(consumer.currentVersion == 7)
        #expect(TestCatalog.movies(in: consumer.current!.readState) == datasets[7])
        #expect(consumer.current!.primaryKeyIndex("Movie")!.ordinal(Int64(0)) != nil || datasets[7]![0] == nil)

        try await rig.log.unpin()
        let forward = try await consumer.refresh()
        #expect(forward.path == "3 deltas")
        #expect(TestCatalog.movies(in: consumer.current!.readState) == datasets[10])
    }

    @Test func aChainLongerThanTheLimitTakesASnapshot() async throws {
        let rig = Rig()
        let producer = rig.producer(.init(producerID: "test", snapshotEvery: 5, snapshotsToKeep: nil))
        let consumer = rig.consumer(.init(indexes: [.primaryKey("Movie")], maximumChainLength: 3))
        var generator = Xoshiro(seed: 4)
        var movies = TestCatalog.movies(100)
        try await producer.cycle(movies)
        try await consumer.refresh()
        for cycle in 2...12 {
            TestCatalog.change(&movies, percent: 10, stamp: Int32(cycle), using: &generator)
            try await producer.cycle(movies)
        }
        let report = try await consumer.refresh()
        #expect(report.path == "snapshot + 1 delta")  // snapshot 11, delta 12
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
    }

    @Test func aDeletedDeltaFallsBackToASnapshot() async throws {
        let rig = Rig()
        let producer = rig.producer(.init(producerID: "test", snapshotEvery: 4, snapshotsToKeep: nil))
        let consumer = rig.consumer()
        var generator = Xoshiro(seed: 5)
        var movies = TestCatalog.movies(100)
        for cycle in 1...10 {
            if cycle > 1 { TestCatalog.change(&movies, percent: 10, stamp: Int32(cycle), using: &generator) }
            try await producer.cycle(movies)
            if cycle == 5 { try await consumer.refresh() }
        }
        rig.store.drop(try #require(rig.log.currentHistory.announcement(of: 7)?.delta?.name))
        let report = try await consumer.refresh()
        #expect(report.toVersion == 10)
        // The delta to 6 applied, the one to 7 is missing: snapshot 9 and its delta instead.
        #expect(report.steps.map(\.description) == ["delta 5 -> 6", "snapshot 9", "delta 9 -> 10"])
        #expect(report.failuresPlannedAround.count == 1)
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
    }

    @Test(arguments: [UpdateStep.Kind.snapshot, .delta, .reverseDelta])
    func aFlippedByteIsRefusedAndTheStateKept(_ kind: UpdateStep.Kind) async throws {
        let rig = Rig()
        let producer = rig.producer(.init(producerID: "test", snapshotEvery: 1))
        let consumer = rig.consumer()
        var movies = TestCatalog.movies(100)
        try await producer.cycle(movies)
        movies[1]!.title = "changed"
        try await producer.cycle(movies)
        let history = rig.log.currentHistory
        let announcement: Announcement
        switch kind {
        case .snapshot:
            announcement = history.announcement(of: 2)!
        case .delta:
            announcement = history.announcement(of: 2)!
            try await consumer.refresh(to: 1)
        case .reverseDelta:
            announcement = history.announcement(of: 2)!
            try await consumer.refresh(to: 2)
        }
        let blob = try #require(kind == .snapshot ? announcement.snapshot : kind == .delta ? announcement.delta : announcement.reverseDelta)
        var bytes = try #require(rig.store.bytes(of: blob.name))
        bytes[bytes.count / 2] ^= 0x10
        rig.store.replace(blob.name, with: bytes)
        // Leave no other way: drop the other snapshot.
        if kind != .snapshot { rig.store.drop(history.announcement(of: kind == .delta ? 2 : 1)!.snapshot!.name) }
        if kind == .snapshot { rig.store.drop(history.announcement(of: 1)!.snapshot!.name) }

        let before = consumer.current
        let target: UInt64 = kind == .reverseDelta ? 1 : 2
        do {
            try await consumer.refresh(to: target)
            Issue.record("a refresh over a damaged \(kind) succeeded")
        } catch {
            guard case .blobMismatch(let name, _, _) = error else { Issue.record("unexpected error \(error)"); return }
            #expect(name == blob.name)
        }
        #expect(consumer.current === before)
    }

    @Test func corruptContentWithAMatchingChecksumIsRefusedAndTheStateKept() async throws {
        let rig = Rig()
        let producer = rig.producer()
        let consumer = rig.consumer()
        try await producer.cycle(TestCatalog.movies(50))
        try await consumer.refresh()
        // A hand-made announcement whose delta is garbage with the right checksum.
        let garbage = BlobFrame.wrap(Array("not a delta at all".utf8))
        let name = try BlobName("delta-garbage")
        try await rig.store.put(name, garbage)
        let first = rig.log.currentHistory.latest!
        try await rig.log.append(Announcement(
            version: 2, previousVersion: 1, stateID: 99, previousStateID: first.stateID, snapshot: nil,
            delta: BlobDigest.reference(name, garbage), reverseDelta: nil, term: 1, producerID: "hand",
            timestampMilliseconds: 0))
        await #expect(throws: RefreshError.self) { try await consumer.refresh() }
        #expect(consumer.currentVersion == 1)
        #expect(TestCatalog.movies(in: consumer.current!.readState) == TestCatalog.movies(50))
    }

    @Test func aFailedValidatorAnnouncesNothingAndTheNextCycleIsADelta() async throws {
        let rig = Rig()
        let producer = rig.producer(.init(producerID: "test", snapshotEvery: 100, validators: [
            MinimumRecordCountValidator(type: "Movie", minimum: 10),
            RecordCountChangeValidator(type: "Movie", maximumChangePercent: 20),
        ]))
        var movies = TestCatalog.movies(100)
        try await producer.cycle(movies)
        let blobs = rig.store.names
        // Half the dataset is gone: refused.
        do {
            try await producer.cycle(TestCatalog.movies(50))
            Issue.record("a cycle that halved the dataset was announced")
        } catch ProducerError.validationFailed(let validator, let message) {
            #expect(validator == "record count change of Movie")
            #expect(message.contains("100 to 50"))
        }
        #expect(rig.log.currentHistory.announcements.count == 1)
        #expect(rig.store.names == blobs, "the refused cycle's blobs are deleted")
        movies[3]!.title = "fixed"
        let version = try #require(try await producer.cycle(movies))
        let announcement = try #require(rig.log.currentHistory.announcement(of: version))
        #expect(announcement.delta != nil && announcement.previousVersion == 1 && announcement.snapshot == nil)
        let consumer = rig.consumer()
        try await consumer.refresh(to: 1)
        #expect(try await consumer.refresh().path == "1 delta")
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
    }

    @Test func aRestartedProducerContinuesTheChainWithADelta() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(directory: directory.path + "/blobs")
        let log = try FileSystemAnnouncementLog(file: directory.path + "/announcements.jsonl")
        var movies = TestCatalog.movies(100)
        do {
            let first = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log, logger: quiet)
            for cycle in 1...3 {
                movies[Int64(cycle)]!.stamp = Int32(cycle)
                try await first.cycle(movies)
            }
        }
        let consumer = Consumer(blobStore: store, announcementLog: log, logger: quiet)
        try await consumer.refresh()
        let second = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log, logger: quiet)
        movies[50] = nil
        let version = try #require(try await second.cycle(movies))
        #expect(version == 4)
        let announcement = try #require(try await log.history().announcement(of: 4))
        #expect(announcement.delta != nil && announcement.previousVersion == 3)
        let report = try await consumer.refresh()
        #expect(report.path == "1 delta")
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
        // An unchanged restart announces nothing.
        let third = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log, logger: quiet)
        guard case .unchanged(4) = try await third.runCycle({ try TestCatalog.populate($0, movies) }) else {
            Issue.record("a restarted producer with the same data announced a version")
            return
        }
    }

    @Test func incrementalCyclesUpsertAndDeleteByPrimaryKey() async throws {
        let rig = Rig()
        let producer = rig.producer()
        var movies = TestCatalog.movies(100)
        try await producer.cycle(movies)
        var changed = movies
        changed[5]!.title = "Five, again"
        changed[200] = TestCatalog.Movie(id: 200, title: "New", year: 2024, stamp: 9)
        changed[7] = nil
        let upserts = [changed[5]!, changed[200]!, movies[8]!]  // 8 is upserted unchanged
        let outcome = try await producer.runIncrementalCycle { cycle in
            for movie in upserts { try cycle.upsert(try TestCatalog.record(movie, in: cycle.writeState)) }
            #expect(try cycle.delete("Movie", key: [.long(7)]))
            #expect(try !cycle.delete("Movie", key: [.long(12345)]))
            // The last upsert of a key wins.
            var twice = changed[5]!
            twice.title = "Five, first"
            try cycle.upsert(try TestCatalog.record(twice, in: cycle.writeState))
            try cycle.upsert(try TestCatalog.record(changed[5]!, in: cycle.writeState))
        }
        guard case .announced(_, let changes) = outcome else { Issue.record("nothing announced"); return }
        #expect(changes["Movie"]?.added == 2 && changes["Movie"]?.removed == 2)
        let consumer = rig.consumer()
        try await consumer.refresh()
        #expect(TestCatalog.movies(in: consumer.current!.readState) == changed)
        movies = changed
        // Keys must be given whole.
        await #expect(throws: ProducerError.self) {
            _ = try await producer.runIncrementalCycle { cycle in try cycle.delete("Movie", key: []) }
        }
        #expect(rig.log.currentHistory.announcements.count == 2)
        // A second incremental cycle finds the records of the first through the key index, which
        // followed the delta.
        _ = try await producer.runIncrementalCycle { (cycle: IncrementalCycle) throws in
            #expect(try cycle.delete("Movie", key: [.long(200)]))
            #expect(try !cycle.delete("Movie", key: [.long(7)]))
        }
        movies[200] = nil
        try await consumer.refresh()
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
    }

    @Test func aProducerThatDoesNotLeadAnnouncesNothing() async throws {
        let rig = Rig()
        let producer = Producer(schema: TestCatalog.schema, blobStore: rig.store, announcementLog: rig.log,
                                leaderElection: NeverLeader(), logger: quiet)
        await #expect(throws: ProducerError.self) { try await producer.cycle(TestCatalog.movies(10)) }
        #expect(rig.log.currentHistory.announcements.isEmpty && rig.store.names.isEmpty)
    }
}
