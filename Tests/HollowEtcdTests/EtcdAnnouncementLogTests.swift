import HollowEtcdTesting
import Foundation
import Synchronization
import Hollow
@testable import HollowEtcd
import Testing

/// The announcement log on a real etcd: the same rules as the file and in-memory logs, plus fencing.
@Suite struct EtcdAnnouncementLogTests {
    @Test func appendHistoryPinAndUnpin() async throws {
        try await EtcdServer.with { server in
            let prefix = uniquePrefix()
            let log = EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, fenced: false, logger: quiet)
            #expect(try await log.history() == AnnouncementHistory())
            for version: UInt64 in [1, 2, 5] { try await log.append(announcement(version)) }
            #expect(try await log.history().announcements == [announcement(1), announcement(2), announcement(5)])

            await #expect(throws: AnnouncementLogError.versionNotIncreasing(version: 5, last: 5)) { try await log.append(announcement(5)) }
            await #expect(throws: AnnouncementLogError.versionNotIncreasing(version: 3, last: 5)) { try await log.append(announcement(3)) }

            try await log.pin(2)
            #expect(try await log.history().pinnedVersion == 2)
            await #expect(throws: AnnouncementLogError.unknownVersion(3)) { try await log.pin(3) }
            #expect(try await log.history().wantedVersion == 2)
            try await log.unpin()
            #expect(try await log.history().pinnedVersion == nil)
            try await log.unpin()  // nothing pinned: still fine

            // Another log object on the same prefix (another host) reads the same, and appends after.
            let other = EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, fenced: false, logger: quiet)
            #expect(try await other.history() == (try await log.history()))
            try await other.append(announcement(6))
            await #expect(throws: AnnouncementLogError.versionNotIncreasing(version: 6, last: 6)) { try await log.append(announcement(6)) }
            try await log.append(announcement(7))
            // The first log reads only what it has not read yet, and still sees everything.
            #expect(try await log.history().announcements.map(\.version) == [1, 2, 5, 6, 7])

            // The stored layout: the announcement as JSON under a 20-digit key, and latest.
            let client = try server.client()
            let stored = try await client.range(key: Array("\(prefix)/announcements/00000000000000000007".utf8))
            #expect(try JSONDecoder().decode(Announcement.self, from: Data(stored.kvs[0].value)) == announcement(7))
            #expect(try await client.range(key: Array("\(prefix)/latest".utf8)).kvs.first?.valueText == "00000000000000000007")
        }
    }

    /// Terms never go back along the log, even where etcd's revisions would allow it (a log copied
    /// to another cluster meets leaders whose revisions are below its terms).
    @Test func aTermBelowTheLogsLastIsRefused() async throws {
        try await EtcdServer.with { server in
            let prefix = uniquePrefix()
            let log = EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, fenced: false, logger: quiet)
            try await log.append(announcement(1, term: 4))
            await #expect(throws: AnnouncementLogError.fenced(term: 1, currentTerm: 4)) { try await log.append(announcement(2, term: 1)) }
            // Another log object (another host) learns the last term from etcd.
            let other = EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, fenced: false, logger: quiet)
            await #expect(throws: AnnouncementLogError.fenced(term: 3, currentTerm: 4)) { try await other.append(announcement(2, term: 3)) }
            try await other.append(announcement(2, term: 4))
            try await log.append(announcement(3, term: 9))
            await #expect(throws: AnnouncementLogError.fenced(term: 4, currentTerm: 9)) { try await other.append(announcement(4, term: 4)) }
            #expect(try await log.history().announcements.map(\.term) == [4, 4, 9])
        }
    }

    @Test func aLongHistoryIsReadInPages() async throws {
        try await EtcdServer.with { server in
            let log = EtcdAnnouncementLog(connection: try server.connection(), prefix: uniquePrefix(), fenced: false, logger: quiet)
            let count = Int(EtcdAnnouncementLog.pageSize) * 2 + 7
            for version in 1...UInt64(count) { try await log.append(announcement(version)) }
            let fresh = EtcdAnnouncementLog(connection: try server.connection(), prefix: log.prefix, fenced: false, logger: quiet)
            #expect(try await fresh.history().announcements.map(\.version) == Array(1...UInt64(count)))
        }
    }

    @Test func aFencedAppendNeedsTheCurrentLeadersTerm() async throws {
        try await EtcdServer.with { server in
            let prefix = uniquePrefix()
            let log = EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, logger: quiet)
            // No leader at all.
            await #expect(throws: AnnouncementLogError.fenced(term: 1, currentTerm: nil)) { try await log.append(announcement(1, term: 1)) }

            let a = EtcdLeaderElection(connection: try server.connection(), prefix: prefix, participantID: "a", logger: quiet)
            let b = EtcdLeaderElection(connection: try server.connection(), prefix: prefix, participantID: "b", logger: quiet)
            let first = try await a.waitForLeadership()
            try await log.append(announcement(1, term: first.term))
            await #expect(throws: AnnouncementLogError.fenced(term: first.term - 1, currentTerm: first.term)) {
                try await log.append(announcement(2, term: first.term - 1))
            }
            await a.resign()
            // Deposed, and nobody leads.
            await #expect(throws: AnnouncementLogError.fenced(term: first.term, currentTerm: nil)) {
                try await log.append(announcement(2, term: first.term))
            }
            let second = try await b.waitForLeadership()
            // Deposed by a newer leader: the error names its term.
            await #expect(throws: AnnouncementLogError.fenced(term: first.term, currentTerm: second.term)) {
                try await log.append(announcement(2, term: first.term))
            }
            try await log.append(announcement(2, term: second.term))
            // Fencing comes before the version check: a deposed leader learns it is deposed.
            await #expect(throws: AnnouncementLogError.fenced(term: first.term, currentTerm: second.term)) {
                try await log.append(announcement(2, term: first.term))
            }
            await #expect(throws: AnnouncementLogError.versionNotIncreasing(version: 2, last: 2)) {
                try await log.append(announcement(2, term: second.term))
            }
            #expect(try await log.history().announcements.map(\.term) == [first.term, second.term])
            await b.resign()
        }
    }

    @Test func versionsStayStrictlyIncreasingUnderFourRacingAppenders() async throws {
        try await EtcdServer.with { server in
            let prefix = uniquePrefix()
            let appenders = 4
            let rounds = 15
            let wins = try await withThrowingTaskGroup(of: [UInt64].self) { group in
                for index in 0..<appenders {
                    let log = EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, fenced: false, logger: quiet)
                    group.addTask { try await Self.race(log, as: index, rounds: rounds) }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let history = try await EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, fenced: false, logger: quiet).history()
            let versions = history.announcements.map(\.version)
            #expect(versions == Array(1...UInt64(versions.count)))
            // Every success is in the log under its version, written by whoever was told it won.
            #expect(wins.count == versions.count)
            for win in wins {
                #expect(history.announcement(of: win >> 8)?.producerID == "appender-\(win & 0xFF)")
            }
        }
    }

    /// Appends the version after the latest read, `rounds` times; returns the versions won, each
    /// shifted left by 8 with the appender's index below.
    static func race(_ log: EtcdAnnouncementLog, as index: Int, rounds: Int) async throws -> [UInt64] {
        var won: [UInt64] = []
        for _ in 0..<rounds {
            // Everyone reaches for the version after the latest it read.
            let next = (try await log.history().latest?.version ?? 0) + 1
            do {
                try await log.append(announcement(next, producer: "appender-\(index)"))
                won.append(next << 8 | UInt64(index))
            } catch {
                guard case .versionNotIncreasing(let version, let last) = error else { throw error }
                #expect(version == next && last >= next)
            }
        }
        return won
    }

    /// An append whose answer was lost is settled by reading back: exactly this announcement at
    /// its version means it was applied.
    @Test func anAppendOfUnknownOutcomeIsSettledByReadingBack() async throws {
        try await EtcdServer.with { server in
            let prefix = uniquePrefix()
            let client = try server.client()
            let log = EtcdAnnouncementLog(connection: EtcdConnection(client: client), prefix: prefix, fenced: false, logger: quiet)
            let mine = announcement(1, term: 4)
            let key = log.keys.announcement(1)
            let bytes = try EtcdAnnouncementLog.encode(mine, key: key)
            // Not there: not applied (or still in flight); the append sends it once more.
            #expect(try await log.settleUnknownOutcome(of: mine, key: key, value: bytes, reason: "test") == false)
            // There, byte for byte: applied.
            try await client.put(key: key, value: bytes)
            #expect(try await log.settleUnknownOutcome(of: mine, key: key, value: bytes, reason: "test"))
            // Someone else's announcement at that version.
            let theirs = announcement(1, term: 4, producer: "other")
            try await client.put(key: key, value: try EtcdAnnouncementLog.encode(theirs, key: key))
            await #expect(throws: AnnouncementLogError.versionNotIncreasing(version: 1, last: 1)) {
                _ = try await log.settleUnknownOutcome(of: mine, key: key, value: bytes, reason: "test")
            }
        }
    }

    /// A frozen etcd: the append's answer never comes and the read-back fails too; the caller is
    /// told, and the log is usable again when etcd wakes.
    @Test func anAppendToAFrozenEtcdIsUnavailable() async throws {
        try await EtcdServer.with { server in
            let log = EtcdAnnouncementLog(connection: try server.connection(timeout: .seconds(1), attempts: 2), prefix: uniquePrefix(),
                                          fenced: false, logger: quiet)
            try await log.append(announcement(1))
            server.pause()
            let error = await #expect(throws: AnnouncementLogError.self) { try await log.append(announcement(2)) }
            server.resume()
            guard case .unavailable(let message)? = error else { Issue.record("\(String(describing: error))"); return }
            #expect(message.contains(server.endpoint), "\(message)")
            let versions = try await log.history().announcements.map(\.version)
            #expect(versions == [1] || versions == [1, 2])
            try await log.append(announcement(3))
        }
    }

    @Test func aValueThatDoesNotDecodeIsCorrupt() async throws {
        try await EtcdServer.with { server in
            let prefix = uniquePrefix()
            let client = try server.client()
            let log = EtcdAnnouncementLog(connection: EtcdConnection(client: client), prefix: prefix, fenced: false, logger: quiet)
            try await log.append(announcement(1))
            let key = "\(prefix)/announcements/00000000000000000002"
            try await client.put(key: Array(key.utf8), value: Array("{not json".utf8))
            do throws(AnnouncementLogError) {
                _ = try await log.history()
                Issue.record("a corrupt announcement was read")
            } catch {
                guard case .corrupt(let path, 0, let message) = error else { Issue.record("\(error)"); return }
                #expect(path == key)
                #expect(message.hasPrefix("not an announcement"))
            }
            // An announcement under the wrong version's key.
            try await client.put(key: Array(key.utf8), value: try JSONEncoder().encode(announcement(9)).map { $0 })
            await #expect(throws: AnnouncementLogError.corrupt(path: key, line: 0, message: "holds version 9")) { try await log.history() }
            // A key that is not 20 digits.
            try await client.delete(key: Array(key.utf8))
            try await client.put(key: Array("\(prefix)/announcements/3".utf8), value: [])
            await #expect(throws: AnnouncementLogError.corrupt(path: "\(prefix)/announcements/3", line: 0,
                                                               message: "not an announcement key (20 digits after the prefix)")) {
                try await log.history()
            }
            // A bad latest and a bad pin.
            try await client.put(key: Array("\(prefix)/latest".utf8), value: Array("two".utf8))
            let fresh = EtcdAnnouncementLog(connection: EtcdConnection(client: client), prefix: prefix, fenced: false, logger: quiet)
            await #expect(throws: AnnouncementLogError.corrupt(path: "\(prefix)/latest", line: 0, message: "'two' is not a 20-digit version")) {
                try await fresh.append(announcement(4))
            }
            try await client.delete(key: Array("\(prefix)/announcements/3".utf8))
            try await client.put(key: Array("\(prefix)/pin".utf8), value: Array("1".utf8))
            await #expect(throws: AnnouncementLogError.corrupt(path: "\(prefix)/pin", line: 0, message: "'1' is not a 20-digit version")) {
                try await log.history()
            }
        }
    }

    @Test func aWatchSeesANewAnnouncementFast() async throws {
        try await TimingGate.measuring {
            try await EtcdServer.with { server in
                let prefix = uniquePrefix()
                let log = EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, fenced: false, logger: quiet)
                let watcher = EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, fenced: false, logger: quiet)
                var changes = watcher.watch().makeAsyncIterator()
                #expect(await changes.next() != nil)  // at once
                // Then once the watch is in place.
                #expect(await changes.next() != nil)
                var latencies: [Duration] = []
                for version in 1...9 as ClosedRange<UInt64> {
                    let appended = ContinuousClock.now
                    try await log.append(announcement(version))
                    var seen = false
                    while !seen {
                        guard await changes.next() != nil else { Issue.record("the watch ended"); return }
                        seen = try await watcher.history().latest?.version == version
                    }
                    latencies.append(ContinuousClock.now - appended)
                }
                print("etcd announcement watch: append to seen, median \(latencies.median), all \(latencies.sorted())")
                // Each append is seen: a liveness bound only. How fast is a figure, not a test
                // (printed above; docs/PERFORMANCE.md measures it): a median bound of 5 s failed
                // on a loaded 2-core run of the whole suite (5.8 s).
                #expect(latencies.allSatisfy { $0 < liveness }, "\(latencies)")
                // A pin is a change too.
                try await log.pin(3)
                #expect(await changes.next() != nil)
                #expect(try await watcher.history().pinnedVersion == 3)
            }
        }
    }

    @Test func aWatchSurvivesAnEtcdRestart() async throws {
        try await EtcdServer.with { server in
            let prefix = uniquePrefix()
            let client = try server.client(timeout: .seconds(2), attempts: 2)
            let log = EtcdAnnouncementLog(connection: EtcdConnection(client: client), prefix: prefix, fenced: false, logger: quiet)
            try await log.append(announcement(1))
            let seen = SeenVersions()
            let watching = Task {
                for await _ in log.watch() {
                    if let version = try? await log.history().latest?.version { seen.record(version) }
                }
            }
            defer { watching.cancel() }
            #expect(await eventually { seen.latest == 1 })
            try await server.restart()
            try await log.append(announcement(2))
            #expect(await eventually { seen.latest == 2 }, "the watch did not come back after the restart")
            // And once more, after etcd was down for a while.
            await server.terminate()
            try await Task.sleep(for: .seconds(1))
            try await server.restart()
            try await log.append(announcement(3))
            #expect(await eventually { seen.latest == 3 })
        }
    }
}

/// The versions a watching task saw, read by the test.
final class SeenVersions: Sendable {
    private let versions = Mutex<[UInt64]>([])
    func record(_ version: UInt64) { versions.withLock { $0.append(version) } }
    var latest: UInt64? { versions.withLock { $0.last } }
}
