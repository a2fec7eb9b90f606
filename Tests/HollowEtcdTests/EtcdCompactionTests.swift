import HollowEtcdTesting
import Foundation
import Hollow
@testable import HollowEtcd
import Testing

/// The announcement log keeps its last N announcements (and the pinned one), and etcd's history is
/// compacted, so that neither grows without bound; readers and writers keep working.
@Suite struct EtcdCompactionTests {
    @Test func compactionKeepsTheLastNAndThePinAndTheLogKeepsWorking() async throws {
        try await EtcdServer.with { server in
            let prefix = uniquePrefix("compact")
            let client = try server.client()
            let log = EtcdAnnouncementLog(connection: EtcdConnection(client: client), prefix: prefix, fenced: false, logger: quiet)
            let reader = EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, fenced: false, logger: quiet)
            for version in 1...10 as ClosedRange<UInt64> { try await log.append(announcement(version)) }
            #expect(try await reader.history().announcements.count == 10)  // cached by the reader
            try await log.pin(2)

            let compaction = try await log.compact(keepingLast: 3)
            #expect(compaction.deletedVersions == [1, 3, 4, 5, 6, 7])
            #expect(compaction.keptVersions == [2, 8, 9, 10])
            let compacted = try #require(compaction.compactedRevision)
            // etcd's history before the deletions is gone.
            await #expect(throws: EtcdError.compacted(revision: compacted - 1)) { try await client.range(key: Array(prefix.utf8), revision: compacted - 1) }

            // A reader that had cached everything sees the shorter history; a new one too.
            let history = try await reader.history()
            #expect(history.announcements.map(\.version) == [2, 8, 9, 10] && history.pinnedVersion == 2)
            let fresh = EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, fenced: false, logger: quiet)
            #expect(try await fresh.history().announcements.map(\.version) == [2, 8, 9, 10])
            // Appends go on; compacting again with nothing to delete does nothing.
            try await log.append(announcement(11))
            #expect(try await fresh.history().announcements.map(\.version) == [2, 8, 9, 10, 11])
            #expect(try await log.compact(keepingLast: 5).deletedVersions.isEmpty)
            // Unpinned, the old pin goes too; the latest is always kept.
            try await log.unpin()
            #expect(try await log.compact(keepingLast: 1).deletedVersions == [2, 8, 9, 10])
            #expect(try await fresh.history().announcements.map(\.version) == [11])
        }
    }

    @Test func aLogWithRetentionCompactsAsItAppends() async throws {
        try await EtcdServer.with { server in
            let prefix = uniquePrefix("retention")
            let log = EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, fenced: false,
                                          retention: .init(keepingLast: 4, every: 5), logger: quiet)
            let reader = EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, fenced: false, logger: quiet)
            var changes = reader.watch().makeAsyncIterator()
            _ = await changes.next()
            _ = await changes.next()
            for version in 1...23 as ClosedRange<UInt64> {
                try await log.append(announcement(version))
                _ = try await reader.history()
            }
            // Compacted after appends 5, 10, 15 and 20 (keeping 4), then 21...23 appended.
            #expect(try await reader.history().announcements.map(\.version) == Array(17...23))
            try await log.append(announcement(24))
            #expect(await eventually(within: .seconds(30)) { (try? await reader.history().announcements.last?.version) == 24 })
        }
    }
}
