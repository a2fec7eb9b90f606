import Foundation
import HollowCore
import PropertyBased
import Synchronization
import Testing
@testable import Hollow
import HollowTesting

/// A consumer with a local image: serves it at once after a restart, follows the deltas from it,
/// serves it and the cached deltas after it through an outage, and goes to the blobs when the
/// image is damaged.
@Suite struct LocalImageTests {
    static func configuration(_ directory: TemporaryDirectory, interval: Duration = .zero,
                              check: StateImage.Check = .structure) -> Consumer.Configuration {
        Consumer.Configuration(indexes: [.primaryKey("Movie"), .hash("byYear", type: "Movie", fields: ["year"])],
                               localCacheDirectory: directory.path,
                               localImage: .init(check: check, interval: interval))
    }

    /// `cycles` cycles of the catalog, each changing 10% of the movies after the first, every one
    /// refreshed by `consumer`.
    static func run(_ cycles: ClosedRange<Int>, of movies: inout [Int64: TestCatalog.Movie], producer: Producer, consumer: Consumer,
                    using generator: inout Xoshiro) async throws {
        for cycle in cycles {
            if cycle > 1 { TestCatalog.change(&movies, percent: 10, stamp: Int32(cycle), using: &generator) }
            try await producer.cycle(movies)
            try await consumer.refresh()
        }
    }

    @Test(arguments: [StateImage.Check.structure, .none])
    func aRestartedConsumerServesItsImageAtOnceThenFollowsTheDeltas(_ check: StateImage.Check) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let rig = Rig()
        let producer = rig.producer()
        let first = rig.consumer(Self.configuration(directory, check: check))
        var generator = Xoshiro(seed: 11)
        var movies = TestCatalog.movies(200)
        try await Self.run(1...3, of: &movies, producer: producer, consumer: first, using: &generator)
        #expect(FileManager.default.fileExists(atPath: directory.path + "/state.image"))
        let atThree = movies
        TestCatalog.change(&movies, percent: 10, stamp: 4, using: &generator)
        try await producer.cycle(movies)

        let restarted = rig.consumer(Self.configuration(directory, check: check))
        let recorder = EventRecorder()
        restarted.addRefreshListener(recorder.record)
        let served = Mutex<[Int64: TestCatalog.Movie]?>(nil)
        restarted.addRefreshListener { [weak restarted] event in
            if case .refreshed(let report) = event, report.source == .localImage, let state = restarted?.current {
                served.withLock { $0 = TestCatalog.movies(in: state.readState) }
                #expect(state.primaryKeyIndex("Movie")?.ordinal(Int64(0)) != nil || atThree[0] == nil)
            }
        }
        let report = try await restarted.refresh()
        #expect(recorder.refreshes.map(\.source) == [.localImage, .blobStore])
        #expect(recorder.refreshes.first?.toVersion == 3)
        #expect(served.withLock { $0 } == atThree, "the image serves version 3 as it was")
        #expect(report.path == "1 delta", "from the image's version by delta, not a snapshot")
        let state = try #require(restarted.current)
        #expect(TestCatalog.movies(in: state.readState) == movies)
        // The indexes came from the image and followed the delta.
        let index = try #require(state.primaryKeyIndex("Movie"))
        let reader = try #require(state.readState.objectType("Movie"))
        let id = try #require(reader.field("id"))
        for ordinal in reader.ordinals { #expect(index.ordinal(reader.long(ordinal, id)!) == ordinal) }
        let byYear = try #require(state.hashIndex("byYear"))
        let year = try #require(reader.field("year"))
        for ordinal in reader.ordinals.prefix(20) { #expect(byYear.ordinals(reader.int(ordinal, year)!).contains(ordinal)) }
        // The image was rewritten at version 4 (interval zero).
        let (image, announcement) = try LocalBlobCache(directory: directory.path).openImage(check: .structure)
        #expect(announcement.version == 4 && image.state.stateID == state.readState.stateID)
    }

    @Test func duringAnOutageTheImageAndTheCachedDeltasAfterItAreServed() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let rig = Rig()
        let producer = rig.producer(.init(producerID: "test", snapshotEvery: 100))
        // An image at most every hour: the one written at version 1 stays.
        let configuration = Self.configuration(directory, interval: .seconds(3_600))
        let first = rig.consumer(configuration)
        var generator = Xoshiro(seed: 12)
        var movies = TestCatalog.movies(150)
        try await Self.run(1...5, of: &movies, producer: producer, consumer: first, using: &generator)
        rig.store.failsReads = true
        let restarted = rig.consumer(configuration)
        let recorder = EventRecorder()
        restarted.addRefreshListener(recorder.record)
        await #expect(throws: RefreshError.self) { try await restarted.refresh() }
        #expect(recorder.refreshes.map(\.source) == [.localImage, .localCache])
        #expect(recorder.refreshes.map(\.toVersion) == [1, 5])
        #expect(recorder.refreshes.last?.path == "4 deltas", "the cached deltas from the image, not the snapshot")
        #expect(restarted.currentVersion == 5)
        #expect(TestCatalog.movies(in: try #require(restarted.current).readState) == movies)

        rig.store.failsReads = false
        TestCatalog.change(&movies, percent: 10, stamp: 6, using: &generator)
        try await producer.cycle(movies)
        #expect(try await restarted.refresh().path == "1 delta")
        #expect(TestCatalog.movies(in: restarted.current!.readState) == movies)
    }

    /// An image whose writing a crash interrupted stays under its temporary name: the next
    /// consumer of the directory removes it.
    @Test func anImageLeftHalfWrittenIsRemoved() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let leftover = directory.path + "/.tmp-state.image-1f2e3d"
        try Data(repeating: 7, count: 4_096).write(to: URL(fileURLWithPath: leftover))
        try Data([1]).write(to: URL(fileURLWithPath: directory.path + "/.tmp-other-1f2e3d"))
        _ = Rig().consumer(Self.configuration(directory))
        #expect(!FileManager.default.fileExists(atPath: leftover))
        #expect(FileManager.default.fileExists(atPath: directory.path + "/.tmp-other-1f2e3d"), "only the image's temporaries")
    }

    @Test(arguments: ["truncated", "damaged", "not an image"])
    func aBadImageIsPassedOverForTheBlobs(_ damage: String) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let rig = Rig()
        let producer = rig.producer()
        let movies = TestCatalog.movies(120)
        try await producer.cycle(movies)
        try await rig.consumer(Self.configuration(directory)).refresh()
        let path = directory.path + "/state.image"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        switch damage {
        case "truncated": bytes.removeLast(bytes.count / 3)
        case "damaged":
            // The chain of the last index (the hash index): every ordinal links to ordinal 0, chains that join.
            let chainEnd = bytes.count - 8 - 24
            for offset in stride(from: chainEnd - 4 * 120, to: chainEnd, by: 4) { bytes[offset] = 1 }
        default: bytes = Array("HOLW".utf8) + bytes
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let restarted = rig.consumer(Self.configuration(directory))
        let recorder = EventRecorder()
        restarted.addRefreshListener(recorder.record)
        #expect(try await restarted.refresh().path == "snapshot")
        #expect(recorder.refreshes.map(\.source) == [.blobStore])
        #expect(TestCatalog.movies(in: try #require(restarted.current).readState) == movies)
        // And a good image replaces the bad one.
        #expect(throws: Never.self) { try LocalBlobCache(directory: directory.path).openImage(check: .structure) }
    }
}
