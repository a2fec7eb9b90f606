import Foundation
import Synchronization
import Testing
@testable import Hollow

/// A damaged line in the middle of the log: a plain message that says what to do, and a repair
/// that keeps every good line.
@Suite struct LogRepairTests {
    /// A log of versions 1-5 whose line `damaged` is replaced by `text`.
    private func damagedLog(_ directory: TemporaryDirectory, line damaged: Int, with text: String) async throws -> FileSystemAnnouncementLog {
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let path = directory.path + "/announcements.jsonl"
        let log = try FileSystemAnnouncementLog(file: path)
        for version in 1...5 as ClosedRange<UInt64> { try await log.append(try FileSystemAnnouncementLogTests.announcement(version)) }
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[damaged - 1] = text
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        return try FileSystemAnnouncementLog(file: path)
    }

    @Test(arguments: [
        ("{not json", "not a JSON object"),
        (#"{"kind": "announce"}"#, "an announcement without its content"),
        (#"{"kind": "rewind"}"#, "the field 'kind' holds an invalid value"),
        (#"{"version": 3}"#, "the field 'kind' is missing"),
        (#"{"kind": "pin", "version": "three"}"#, "the field 'version' has the wrong type"),
    ])
    func aDamagedLineIsReportedPlainlyAndRepairedKeepingEveryGoodLine(_ text: String, _ reason: String) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let log = try await damagedLog(directory, line: 3, with: text)
        await #expect {
            try await log.history()
        } throws: { error in
            guard case .corrupt(let path, 3, let message) = error as? AnnouncementLogError else { return false }
            return path == log.path && message.hasPrefix(reason + "; ") && message.contains("hollow repair-log")
                && !message.contains("DecodingError") && !message.contains("Context(")
        }
        let repair = try await log.repair()
        #expect(repair.keptLines == 4)
        #expect(repair.setAside == [.init(line: 3, reason: reason)])
        let aside = try String(contentsOfFile: try #require(repair.damagedLinesFile), encoding: .utf8)
        #expect(aside == text + "\n", "the damaged line is kept, byte for byte")
        #expect(try await log.history().announcements.map(\.version) == [1, 2, 4, 5])
        try await log.append(try FileSystemAnnouncementLogTests.announcement(6))
        #expect(try await log.history().announcements.map(\.version) == [1, 2, 4, 5, 6])
        // A second repair finds nothing to do.
        #expect(try await log.repair() == LogRepair(keptLines: 5, setAside: [], damagedLinesFile: nil))
    }

    @Test func aVersionOutOfOrderAndAnUnfinishedLastLineAreSetAside() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let log = try await damagedLog(directory, line: 4, with: try String(decoding: JSONEncoder().encode(
            FileSystemAnnouncementLog.LogLine(kind: .announce, announcement: try FileSystemAnnouncementLogTests.announcement(2), version: nil)), as: UTF8.self))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"kind": "ann"#.utf8))
        try handle.close()
        let repair = try await log.repair()
        #expect(repair.setAside.map(\.line) == [4, 6])
        #expect(repair.setAside.first?.reason == "version 2 after version 3")
        #expect(try await log.history().announcements.map(\.version) == [1, 2, 3, 5])
    }

    /// Appends that wait for the lock while a repair replaces the file land in the new file: every
    /// append that returned is in the log afterwards.
    @Test func appendsDuringARepairAreNotLost() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // Only a torn last line: appends succeed on the old file too, so one that took the old
        // file's lock after the repair's rename would land in a file nobody reads any more.
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let log = try FileSystemAnnouncementLog(file: directory.path + "/announcements.jsonl")
        for version in 1...5 as ClosedRange<UInt64> { try await log.append(try FileSystemAnnouncementLogTests.announcement(version)) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"kind": "ann"#.utf8))
        try handle.close()
        let landed = Landed()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await log.repair() }
            for version in 6...25 as ClosedRange<UInt64> {
                group.addTask {
                    do {
                        try await log.append(try FileSystemAnnouncementLogTests.announcement(version))
                        landed.versions.withLock { $0.append(version) }
                    } catch AnnouncementLogError.versionNotIncreasing {
                        // a later version landed first
                    }
                }
            }
            try await group.waitForAll()
        }
        let versions = try await log.history().announcements.map(\.version)
        #expect(versions.prefix(5) == [1, 2, 3, 4, 5])
        #expect(Set(landed.versions.withLock { $0 }).isSubset(of: Set(versions)), "an append that returned was lost: \(versions)")
        #expect(!landed.versions.withLock { $0 }.isEmpty)
        let text = try String(contentsOfFile: log.path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == versions.count, "every line of the file is in the history")
    }
}

/// The versions whose append returned, from many tasks.
private final class Landed: Sendable {
    let versions = Mutex<[UInt64]>([])
}
