import Foundation
import HollowCore
import HollowTesting
import Testing
@testable import Hollow

/// The log is trimmed with the blobs: announcements of versions whose blobs the cleaner deleted go
/// too, so that neither the file nor any reader's copy of it grows without bound.
@Suite struct LogTrimmingTests {
    @Test func discardingKeepsTheLatestThePinAndEverythingAfterAPin() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let path = directory.path + "/announcements.jsonl"
        let log = try FileSystemAnnouncementLog(file: path)
        let reader = try FileSystemAnnouncementLog(file: path)
        for version in 1...10 as ClosedRange<UInt64> { try await log.append(try FileSystemAnnouncementLogTests.announcement(version)) }
        #expect(try await reader.history().announcements.count == 10)  // a reader with every line cached

        try await log.discardAnnouncements(before: 6)
        #expect(try await log.history().announcements.map(\.version) == [6, 7, 8, 9, 10])
        #expect(try await reader.history().announcements.map(\.version) == [6, 7, 8, 9, 10], "a reader's cache follows the new file")
        try await log.append(try FileSystemAnnouncementLogTests.announcement(11))
        #expect(try await reader.history().announcements.map(\.version) == [6, 7, 8, 9, 10, 11])

        try await log.pin(8)
        try await log.discardAnnouncements(before: 11)
        let pinned = try await reader.history()
        #expect(pinned.announcements.map(\.version) == [8, 9, 10, 11] && pinned.pinnedVersion == 8)
        try await log.unpin()
        try await log.discardAnnouncements(before: 100)
        #expect(try await reader.history().announcements.map(\.version) == [11], "the latest stays")
    }

    @Test(arguments: [false, true])
    func aProducersLogStaysBoundedAndConsumersFollowByDeltas(onFiles: Bool) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let store = try FileSystemBlobStore(directory: directory.path + "/blobs")
        let log: any AnnouncementLog = onFiles ? try FileSystemAnnouncementLog(file: directory.path + "/announcements.jsonl") : InMemoryAnnouncementLog()
        let producer = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log,
                                configuration: .init(producerID: "trim", snapshotEvery: 3, snapshotsToKeep: 2), logger: quiet)
        let consumer = Consumer(blobStore: store, announcementLog: log, logger: quiet)
        var movies = TestCatalog.movies(20)
        var longest = 0
        for stamp in 1...120 as ClosedRange<Int32> {
            movies[Int64(stamp % 20)]!.stamp = stamp
            try await producer.cycle(movies)
            let report = try await consumer.refresh()
            if stamp > 1 { #expect(report.path == "1 delta", "version \(stamp)") }
            longest = max(longest, try await log.history().announcements.count)
        }
        let history = try await log.history()
        #expect(history.latest?.version == 120)
        #expect(history.announcements.first!.version > 60, "old announcements were dropped")
        // Kept: from the oldest of the two snapshots kept (at most 6 versions), and as many again
        // before a trim, with a floor of 16.
        #expect(longest <= 2 * 16 + 6, "the log held \(longest) announcements")
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
        // A consumer that starts now loads the latest version from what is kept.
        let late = Consumer(blobStore: store, announcementLog: log, logger: quiet)
        try await late.refresh()
        #expect(late.currentVersion == 120)
    }
}
