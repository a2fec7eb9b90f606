import Foundation
import HollowCore
import Synchronization
import PropertyBased
import Testing
@testable import Hollow
import HollowTesting

/// Collects what refresh listeners are told.
final class EventRecorder: Sendable {
    let events = Mutex<[RefreshEvent]>([])
    func record(_ event: RefreshEvent) { events.withLock { $0.append(event) } }
    var failures: Int { events.withLock { $0.filter { if case .failed = $0 { true } else { false } }.count } }
    var refreshes: [RefreshReport] {
        events.withLock { $0.compactMap { if case .refreshed(let report) = $0 { report } else { nil } } }
    }
}

/// Polls `condition` until it holds or `seconds` pass. The limit is generous: the whole suite runs
/// in parallel on two cores, and CPU-heavy tests can hold the cooperative threads for seconds.
func eventually(within seconds: Double = 180, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}

@Suite struct ConsumerResilienceTests {
    @Test func aTornAnnouncementLineIsIgnored() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(directory: directory.path + "/blobs")
        let logPath = directory.path + "/announcements.jsonl"
        let log = try FileSystemAnnouncementLog(file: logPath)
        let producer = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log, logger: quiet)
        var movies = TestCatalog.movies(50)
        try await producer.cycle(movies)
        movies[1]!.stamp = 2
        try await producer.cycle(movies)
        // A crash in the middle of an append leaves half a line.
        let handle = try #require(FileHandle(forWritingAtPath: logPath))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"announcement":{"version":3,"previousVers"#.utf8))
        try handle.close()

        let consumer = Consumer(blobStore: store, announcementLog: log, logger: quiet)
        #expect(try await consumer.refresh().toVersion == 2)
        movies[2]!.stamp = 3
        #expect(try await producer.cycle(movies) == 3)
        #expect(try await consumer.refresh().path == "1 delta")
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
    }

    @Test func aConsumerStartedDuringAnOutageStartsEmptyAndSaysSo() async throws {
        let rig = Rig()
        try await rig.producer().cycle(TestCatalog.movies(20))
        rig.store.failsReads = true
        let consumer = rig.consumer()
        let recorder = EventRecorder()
        consumer.addRefreshListener(recorder.record)
        await #expect(throws: RefreshError.self) { try await consumer.refresh() }
        #expect(consumer.current == nil)
        #expect(recorder.failures == 1)
        guard case .failed(.blobUnavailable, servingVersion: nil)? = recorder.events.withLock({ $0.last }) else {
            Issue.record("expected a blob failure while serving nothing")
            return
        }
    }

    @Test(arguments: ["store", "log"])
    func aConsumerWithALocalCacheStartsFromItDuringAnOutage(_ outage: String) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let rig = Rig()
        let producer = rig.producer(.init(producerID: "test", snapshotEvery: 3))
        let configuration = Consumer.Configuration(indexes: [.primaryKey("Movie")], localCacheDirectory: directory.path)
        let first = rig.consumer(configuration)
        var generator = Xoshiro(seed: 7)
        var movies = TestCatalog.movies(100)
        for cycle in 1...7 {
            if cycle > 1 { TestCatalog.change(&movies, percent: 10, stamp: Int32(cycle), using: &generator) }
            try await producer.cycle(movies)
            try await first.refresh()
        }
        // The cache holds the snapshot of 7 (snapshots at 1, 4, 7) and nothing older.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("delta") }.isEmpty)

        if outage == "store" { rig.store.failsReads = true } else { rig.log.isUnavailable = true }
        let restarted = rig.consumer(configuration)
        let recorder = EventRecorder()
        restarted.addRefreshListener(recorder.record)
        await #expect(throws: RefreshError.self) { try await restarted.refresh() }
        #expect(restarted.currentVersion == 7)
        #expect(recorder.refreshes.first?.source == .localCache)
        #expect(TestCatalog.movies(in: try #require(restarted.current).readState) == movies)
        #expect(restarted.current?.primaryKeyIndex("Movie") != nil)

        // The outage ends: the consumer goes on from the cached version by deltas.
        rig.store.failsReads = false
        rig.log.isUnavailable = false
        TestCatalog.change(&movies, percent: 10, stamp: 8, using: &generator)
        try await producer.cycle(movies)
        #expect(try await restarted.refresh().path == "1 delta")
        #expect(TestCatalog.movies(in: restarted.current!.readState) == movies)
    }

    @Test func aWatchingConsumerRetriesWithBackoffAndCatchesUp() async throws {
        let rig = Rig()
        let producer = rig.producer()
        var movies = TestCatalog.movies(30)
        try await producer.cycle(movies)
        let consumer = rig.consumer(.init(retryBackoff: RetryBackoff(initial: .milliseconds(20), maximum: .milliseconds(100))))
        let recorder = EventRecorder()
        consumer.addRefreshListener(recorder.record)
        let watching = Task { await consumer.watch() }
        defer { watching.cancel() }
        #expect(await eventually { consumer.currentVersion == 1 })

        rig.store.failsReads = true
        movies[0]!.stamp = 2
        try await producer.cycle(movies)
        #expect(await eventually { recorder.failures >= 3 })
        #expect(consumer.currentVersion == 1, "the last good state is served through the outage")
        rig.store.failsReads = false
        #expect(await eventually { consumer.currentVersion == 2 })
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
    }

    @Test func aConsumerWatchingTheFileLogServesEachNewVersion() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(directory: directory.path + "/blobs")
        let log = try FileSystemAnnouncementLog(file: directory.path + "/announcements.jsonl", pollInterval: .milliseconds(20))
        let producer = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log, logger: quiet)
        let consumer = Consumer(blobStore: store, announcementLog: log, logger: quiet)
        let watching = Task { await consumer.watch() }
        defer { watching.cancel() }
        var movies = TestCatalog.movies(30)
        for cycle in 1...5 {
            movies[Int64(cycle)]!.stamp = Int32(cycle)
            let version = try #require(try await producer.cycle(movies))
            #expect(await eventually { consumer.currentVersion == version }, "version \(version) not served")
        }
        try await log.pin(2)
        #expect(await eventually { consumer.currentVersion == 2 })
    }

    /// Elected producers taking turns as leader (UnelectedProducersTests: without an election a
    /// second producer is refused).
    @Test func producersTakingTurnsKeepOneUnbrokenChain() async throws {
        let rig = Rig()
        let election = ControlledElection()
        let first = Producer(schema: TestCatalog.schema, blobStore: rig.store, announcementLog: rig.log,
                             leaderElection: election.participant("a"), configuration: .init(producerID: "a", snapshotEvery: 100), logger: quiet)
        let second = Producer(schema: TestCatalog.schema, blobStore: rig.store, announcementLog: rig.log,
                              leaderElection: election.participant("b"), configuration: .init(producerID: "b", snapshotEvery: 100), logger: quiet)
        let consumer = rig.consumer()
        var movies = TestCatalog.movies(60)
        for cycle in 1...8 {
            movies[Int64(cycle)]!.stamp = Int32(cycle)
            _ = election.grant(to: cycle % 2 == 1 ? "a" : "b")
            try await (cycle % 2 == 1 ? first : second).cycle(movies)
            try await consumer.refresh()
            #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
        }
        let announcements = rig.log.currentHistory.announcements
        #expect(announcements.map(\.producerID) == ["a", "b", "a", "b", "a", "b", "a", "b"])
        for (previous, next) in zip(announcements, announcements.dropFirst()) {
            #expect(next.previousVersion == previous.version && next.previousStateID == previous.stateID && next.delta != nil)
        }
    }

    @Test func anAnnouncementWhoseBlobsAreMissingLeavesConsumersOnTheirState() async throws {
        let rig = Rig()
        let producer = rig.producer(.init(producerID: "test", snapshotEvery: 1))
        var movies = TestCatalog.movies(30)
        try await producer.cycle(movies)
        let consumer = rig.consumer()
        try await consumer.refresh()
        let served = TestCatalog.movies(in: consumer.current!.readState)
        movies[3]!.stamp = 4
        try await producer.cycle(movies)
        let latest = try #require(rig.log.currentHistory.latest)
        for blob in [latest.snapshot, latest.delta, latest.reverseDelta].compactMap({ $0 }) { rig.store.drop(blob.name) }
        let recorder = EventRecorder()
        consumer.addRefreshListener(recorder.record)
        await #expect(throws: RefreshError.self) { try await consumer.refresh() }
        #expect(consumer.currentVersion == 1)
        #expect(TestCatalog.movies(in: consumer.current!.readState) == served)
        guard case .failed(_, servingVersion: 1)? = recorder.events.withLock({ $0.last }) else {
            Issue.record("expected a failure reported while serving version 1")
            return
        }
        // The next version has its blobs: the consumer goes on from its snapshot (the chain is broken).
        movies[4]!.stamp = 5
        try await producer.cycle(movies)
        try await consumer.refresh()
        #expect(consumer.currentVersion == 3)
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
    }

    @Test func aStoreThatRefusesWritesAnnouncesNothing() async throws {
        let rig = Rig()
        let producer = rig.producer()
        var movies = TestCatalog.movies(30)
        try await producer.cycle(movies)
        rig.store.failsWrites = true
        movies[0]!.stamp = 9
        await #expect(throws: ProducerError.self) { try await producer.cycle(movies) }
        #expect(rig.log.currentHistory.announcements.count == 1)
        rig.store.failsWrites = false
        #expect(try await producer.cycle(movies) == 2)
        #expect(rig.log.currentHistory.latest?.delta != nil)
    }
}

import ServiceLifecycle

@Suite struct ConsumerServiceTests {
    @Test func aConsumerRunsInAServiceGroupUntilGracefulShutdown() async throws {
        let rig = Rig()
        let producer = rig.producer()
        try await producer.cycle(TestCatalog.movies(10))
        let consumer = rig.consumer(.init(retryBackoff: RetryBackoff(initial: .milliseconds(20), maximum: .milliseconds(200))))
        let recorder = EventRecorder()
        consumer.addRefreshListener(recorder.record)
        let group = ServiceGroup(configuration: .init(services: [consumer], logger: quiet))
        let running = Task { try await group.run() }
        // The whole suite may hold both cooperative threads for minutes (two cores, tests that
        // compute on them): this checks the service's life cycle, not its speed.
        #expect(await eventually(within: 300) { consumer.currentVersion == 1 },
                "events: \(recorder.events.withLock { $0.map { "\($0)" } }), group finished: \(running.isCancelled)")
        var movies = TestCatalog.movies(10)
        movies[0]!.stamp = 5
        try await producer.cycle(movies)
        #expect(await eventually(within: 300) { consumer.currentVersion == 2 })
        await group.triggerGracefulShutdown()
        try await running.value  // returns: the watch stopped
        #expect(consumer.currentVersion == 2, "the last state stays served after shutdown")
    }
}

@Suite struct RestartedLogTests {
    /// An operator starts the log afresh: version 1 is now another state. The consumer must not
    /// take its old version 1 for the new one.
    @Test func aLogStartedAfreshIsFollowedFromASnapshot() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(directory: directory.path + "/blobs")
        let logPath = directory.path + "/announcements.jsonl"
        let log = try FileSystemAnnouncementLog(file: logPath)
        try await Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log, logger: quiet)
            .cycle(TestCatalog.movies(20))
        let consumer = Consumer(blobStore: store, announcementLog: log, logger: quiet)
        try await consumer.refresh()

        try FileManager.default.removeItem(atPath: logPath)
        let fresh = TestCatalog.movies(5, stamp: 7)
        // Only on purpose: a log that is merely lost must not restart the versions (LostLogTests).
        try await Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log,
                           configuration: .init(startsNewDataset: true), logger: quiet).cycle(fresh)
        let report = try await consumer.refresh()
        #expect(report.path == "snapshot")
        #expect(TestCatalog.movies(in: consumer.current!.readState) == fresh)
    }
}

/// A blob store holding a dataset's blobs beside an empty or missing log: the log was lost.
@Suite struct LostLogTests {
    @Test func aLostLogIsRefusedUntilANewDatasetIsStartedOnPurpose() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(directory: directory.path + "/blobs")
        let logPath = directory.path + "/announcements.jsonl"
        let log = try FileSystemAnnouncementLog(file: logPath)
        let producer = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log,
                                configuration: .init(snapshotsToKeep: 1), logger: quiet)
        try await producer.cycle(TestCatalog.movies(20))
        try await producer.cycle(TestCatalog.movies(21))
        let before = try await store.list()
        try FileManager.default.removeItem(atPath: logPath)

        let restarted = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log,
                                 configuration: .init(snapshotsToKeep: 1), logger: quiet)
        for attempt in 1...2 {
            await #expect("attempt \(attempt)") {
                try await restarted.cycle(TestCatalog.movies(22))
            } throws: { error in
                let dataset = before.filter { !$0.text.contains("-00000000000000000001-") }
                guard case .logLost(dataset.count, _) = error as? ProducerError, !dataset.isEmpty else { return false }
                return "\(error)".contains("--new-dataset")
            }
        }
        #expect(try await store.list() == before, "no blob of the old dataset was deleted")
        #expect(try await log.history().announcements.isEmpty)

        let onPurpose = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log,
                                 configuration: .init(snapshotsToKeep: 1, startsNewDataset: true), logger: quiet)
        // Numbered on above the old dataset's blobs: no version number is given twice.
        let highest = before.compactMap(BlobNaming.version(of:)).max() ?? 0
        #expect(try await onPurpose.cycle(TestCatalog.movies(22)) == highest + 1)
    }

    /// A first cycle that wrote its blobs and never announced (a failed append; a leader killed
    /// before its append, as the failover drill does) leaves version-1 blobs only: not a lost log.
    @Test func blobsOfAFirstCycleThatNeverAnnouncedAreNotALostLog() async throws {
        let rig = Rig()
        let producer = rig.producer()
        rig.log.failsAppends = true
        await #expect(throws: ProducerError.self) { try await producer.cycle(TestCatalog.movies(10)) }
        #expect(!rig.store.names.isEmpty, "the blobs are left to the cleaner")
        rig.log.failsAppends = false
        // Version 1's blobs are there: the first announced version is 2, not a lost log.
        #expect(try await rig.producer(.init(producerID: "another")).cycle(TestCatalog.movies(10)) == 2)
    }
}

