import Foundation
import HollowCore
import Testing
@testable import Hollow

/// No version number is given twice, even when the log goes back: a repair that set its damaged
/// last line aside leaves a version that consumers may have seen, whose blobs are still stored.
@Suite struct VersionMintingTests {
    @Test func aLogRepairedPastItsLastLineDoesNotGiveThatVersionAgain() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/announcements.jsonl"
        let store = try FileSystemBlobStore(directory: directory.path + "/blobs")
        func producer(_ id: String) throws -> Producer {
            Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: try FileSystemAnnouncementLog(file: path),
                     configuration: .init(producerID: id), logger: quiet)
        }
        var movies = TestCatalog.movies(20)
        let running = try producer("running")
        for stamp in 1...3 as ClosedRange<Int32> {
            movies[0]!.stamp = stamp
            try await running.cycle(movies)
        }
        // Version 3's line is damaged, and the repair sets it aside: the log ends at version 2.
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = "{not json"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        _ = try await FileSystemAnnouncementLog(file: path).repair()
        #expect(try await FileSystemAnnouncementLog(file: path).history().latest?.version == 2)

        // The producer that announced version 3 goes on at 4, and so does one that starts now.
        movies[1]!.stamp = 4
        #expect(try await running.cycle(movies) == 4)
        lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines.removeLast()
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let restarted = try producer("restarted")
        movies[2]!.stamp = 5
        #expect(try await restarted.cycle(movies) == 5, "version 4's blobs are in the store: it is not given again")
        let consumer = Consumer(blobStore: store, announcementLog: try FileSystemAnnouncementLog(file: path), logger: quiet)
        try await consumer.refresh()
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
    }
}
