import Foundation
import Hollow
import HollowCore
import HollowTesting
import HollowTools
import Testing
import TestThreads

@Suite(.onTestThreads) struct VersionHistoryTests {
    private func announcement(_ version: UInt64, previous: UInt64?, tags: [String: String] = [:]) throws -> Announcement {
        func blob(_ name: String, _ size: Int) throws -> BlobReference {
            BlobReference(name: try BlobName("\(name)-\(version)"), size: size, sha256: String(repeating: "a", count: 64))
        }
        return Announcement(version: version, previousVersion: previous, stateID: version * 11, previousStateID: previous.map { $0 * 11 },
                            snapshot: version == 1 || version == 4 ? try blob("snapshot", 1000) : nil,
                            delta: previous == nil ? nil : try blob("delta", 10),
                            reverseDelta: previous == nil ? nil : try blob("reverse", 12),
                            term: 3, producerID: "producer-a", timestampMilliseconds: 1_700_000_000_000 + Int64(version) * 1500, tags: tags)
    }

    /// Four versions in an in-memory log, the third pinned.
    private func log() async throws -> InMemoryAnnouncementLog {
        let log = InMemoryAnnouncementLog()
        try await log.append(try announcement(1, previous: nil))
        try await log.append(try announcement(2, previous: 1, tags: ["source": "nightly", "build": "42"]))
        try await log.append(try announcement(3, previous: 2))
        try await log.append(try announcement(4, previous: 3))
        try await log.pin(3)
        return log
    }

    @Test func entriesOfEveryVersion() async throws {
        let history = VersionHistory(try await log().history())
        #expect(history.entries.map(\.version) == [1, 2, 3, 4])
        #expect(history.pinnedVersion == 3)
        #expect(history.latestVersion == 4)
        #expect(history.entries.map(\.isPinned) == [false, false, true, false])

        let first = history.entries[0], second = history.entries[1], fourth = history.entries[3]
        #expect(first.blobs.map(\.kind) == [.snapshot])
        #expect(second.blobs.map(\.kind) == [.delta, .reverseDelta])
        #expect(second.blobs.map(\.reference.size) == [10, 12])
        #expect(fourth.blobs.map(\.kind) == [.snapshot, .delta, .reverseDelta])
        #expect(second.sortedTags.map(\.name) == ["build", "source"])
        #expect(second.sortedTags.map(\.value) == ["42", "nightly"])
        #expect(first.sortedTags.isEmpty)
        #expect(second.date == Date(timeIntervalSince1970: 1_700_000_003))
        #expect(second.announcement.producerID == "producer-a")
    }

    @Test func theLastFewVersions() async throws {
        let full = try await log().history()
        let history = VersionHistory(full, last: 2)
        #expect(history.entries.map(\.version) == [3, 4])
        #expect(history.entries.first?.isPinned == true)
        #expect(VersionHistory(full, last: 0).entries.isEmpty)
        #expect(VersionHistory(full, last: -1).entries.isEmpty)
        // The latest and the pin are the log's, whatever the limit.
        #expect(VersionHistory(full, last: 0).latestVersion == 4)
        #expect(VersionHistory(full, last: 0).pinnedVersion == 3)
        #expect(VersionHistory(full, last: 10).entries.count == 4)
    }

    @Test func anEmptyLog() async throws {
        let history = VersionHistory(try await InMemoryAnnouncementLog().history())
        #expect(history.entries.isEmpty && history.latestVersion == nil && history.pinnedVersion == nil)
    }
}
