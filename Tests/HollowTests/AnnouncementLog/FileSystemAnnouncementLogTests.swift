import Foundation
import PropertyBased
import Testing
import TestThreads
@testable import Hollow

@Suite(.onTestThreads) struct FileSystemAnnouncementLogTests {
    static func announcement(_ version: UInt64, term: UInt64 = 1) throws -> Announcement {
        Announcement(
            version: version, previousVersion: version > 1 ? version - 1 : nil,
            stateID: UInt64.max - version, previousStateID: version > 1 ? UInt64.max - version + 1 : nil,
            snapshot: BlobReference(name: try BlobName("snapshot-\(version)"), size: 10, sha256: String(repeating: "ab", count: 32)),
            delta: version > 1 ? BlobReference(name: try BlobName("delta-\(version)"), size: 3, sha256: String(repeating: "cd", count: 32)) : nil,
            reverseDelta: nil, term: term, producerID: "producer-a", timestampMilliseconds: 1_700_000_000_000 + Int64(version),
            tags: ["source": "test/\(version)"])
    }

    @Test func appendsPinsAndReadsBack() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let log = try FileSystemAnnouncementLog(file: directory.path + "/announcements.jsonl")
        #expect(try await log.history() == AnnouncementHistory())
        for version in [1, 2, 5] as [UInt64] { try await log.append(try Self.announcement(version)) }
        await #expect(throws: AnnouncementLogError.versionNotIncreasing(version: 5, last: 5)) { try await log.append(try Self.announcement(5)) }
        await #expect(throws: AnnouncementLogError.unknownVersion(3)) { try await log.pin(3) }
        try await log.pin(2)
        var history = try await log.history()
        #expect(history.announcements.map(\.version) == [1, 2, 5])
        #expect(history.announcements[2] == (try Self.announcement(5)), "every field, 64-bit state ids included, reads back")
        #expect(history.pinnedVersion == 2)
        #expect(history.wantedVersion == 2)
        try await log.unpin()
        history = try await log.history()
        #expect(history.pinnedVersion == nil)
        #expect(history.wantedVersion == 5)
        #expect(history.announcement(of: 2)?.version == 2)
        #expect(history.announcement(of: 3) == nil)
    }

    /// A crash in the middle of an append leaves a line without its newline: it is never read as an
    /// entry, and the next append cuts it off.
    @Test func aTornLastLineIsIgnoredAndRepaired() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let path = directory.path + "/log.jsonl"
        let log = try FileSystemAnnouncementLog(file: path)
        try await log.append(try Self.announcement(1))
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        try await log.append(try Self.announcement(2))
        let complete = try Data(contentsOf: URL(fileURLWithPath: path))
        // Every cut of the second line, down to nothing of it, reads as version 1 only.
        for cut in stride(from: whole.count, to: complete.count, by: 7) {
            try complete.prefix(cut).write(to: URL(fileURLWithPath: path))
            #expect(try await log.history().announcements.map(\.version) == [1], "cut at \(cut)")
        }
        try await log.append(try Self.announcement(3))
        #expect(try await log.history().announcements.map(\.version) == [1, 3])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2 && text.hasSuffix("\n"))
    }

    @Test func aDamagedCompleteLineIsReportedWithItsLineNumber() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let path = directory.path + "/log.jsonl"
        let log = try FileSystemAnnouncementLog(file: path)
        try await log.append(try Self.announcement(1))
        try await log.append(try Self.announcement(2))
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"kind\":\"announce\"", with: "\"kind\":\"annouce\"")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        await #expect {
            try await log.history()
        } throws: { error in
            guard case .corrupt(_, 1, _)? = error as? AnnouncementLogError else { return false }
            return true
        }
        #expect(throws: AnnouncementLogError.self) { try FileSystemAnnouncementLog(file: directory.path + "/missing/log.jsonl") }
    }

    /// Producers racing to append the next version: each version is announced once, the log stays
    /// whole, and readers reading meanwhile always see an increasing prefix.
    @Test func concurrentAppendersAndReaders() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let log = try FileSystemAnnouncementLog(file: directory.path + "/log.jsonl")
        // The tasks on Swift's pool: under `.onTestThreads` they would inherit the test's one thread.
        let accepted = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    var won = 0
                    for _ in 0..<25 {
                        let next = (try await log.history().latest?.version ?? 0) + 1
                        do {
                            try await log.append(try Self.announcement(next))
                            won += 1
                        } catch AnnouncementLogError.versionNotIncreasing {
                        }
                    }
                    return won
                }
            }
            group.addTask(executorPreference: globalConcurrentExecutor) {
                for _ in 0..<50 {
                    let versions = try await log.history().announcements.map(\.version)
                    #expect(versions == Array(1...UInt64(max(versions.count, 1))).prefix(versions.count).map { $0 })
                }
                return 0
            }
            return try await group.reduce(0, +)
        }
        let versions = try await log.history().announcements.map(\.version)
        #expect(versions.count == accepted)
        #expect(versions == (1...UInt64(accepted)).map { $0 })
    }

    /// Random appends, pins and unpins against a model of the log.
    @Test func randomOperationsMatchAModel() async throws {
        await propertyCheck(count: 20, input: Gen.int(in: 0...9).array(of: 1...40)) { operations in
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            do {
                try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
                let log = try FileSystemAnnouncementLog(file: directory.path + "/log.jsonl")
                var model = AnnouncementHistory()
                for operation in operations {
                    switch operation {
                    case 0...5:
                        let version = (model.latest?.version ?? 0) + UInt64(operation)
                        if operation == 0 && model.latest != nil {
                            await #expect(throws: AnnouncementLogError.self) { try await log.append(try Self.announcement(version)) }
                        } else {
                            let entry = try Self.announcement(max(version, 1))
                            try await log.append(entry)
                            model.announcements.append(entry)
                        }
                    case 6...7:
                        if let some = model.announcements.randomElement() {
                            try await log.pin(some.version)
                            model.pinnedVersion = some.version
                        }
                    default:
                        try await log.unpin()
                        model.pinnedVersion = nil
                    }
                    #expect(try await log.history() == model)
                }
            } catch {
                Issue.record("\(operations): \(error)")
            }
        }
    }
}
