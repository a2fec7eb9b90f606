import Foundation
import PropertyBased
import Testing
import TestThreads
@testable import Hollow

@Suite(.onTestThreads) struct FileSystemBlobStoreTests {
    @Test func putGetReplaceDeleteList() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(directory: directory.path + "/nested/store")
        let name = try BlobName("snapshot-00000001")
        try await store.put(name, [1, 2, 3])
        #expect(try await store.get(name) == [1, 2, 3])
        try await store.put(name, Array(repeating: 7, count: 100_000))
        #expect(try await store.get(name) == Array(repeating: 7, count: 100_000))
        try await store.put(try BlobName("delta-1-2"), [])
        #expect(try await store.get(try BlobName("delta-1-2")) == [])
        #expect(try await store.list().map(\.text) == ["delta-1-2", "snapshot-00000001"])
        try await store.delete(name)
        await #expect(throws: BlobStoreError.notFound(name)) { try await store.get(name) }
        await #expect(throws: BlobStoreError.notFound(name)) { try await store.delete(name) }
        // Nothing but blobs is left: no temporary files.
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory) == ["delta-1-2"])
    }

    @Test(arguments: ["", ".", "..", "../etc/passwd", "a/b", "/abs", ".hidden", "sp ace", "é", String(repeating: "x", count: 201)])
    func namesThatCouldEscapeOrHideAreRefused(_ text: String) {
        #expect(throws: BlobStoreError.self) { try BlobName(text) }
    }

    @Test func validNamesRoundTripThroughTheStore() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(directory: directory.path)
        let characters = Array("abcXYZ019._-")
        await propertyCheck(count: 50, input: Gen.int(in: 0...1_000_000).array(of: 1...20)) { picks in
            let text = String(picks.map { characters[$0 % characters.count] })
            guard let name = try? BlobName(text) else {
                #expect(text.hasPrefix("."))
                return
            }
            do {
                try await store.put(name, Array(text.utf8))
                #expect(try await store.get(name) == Array(text.utf8))
            } catch {
                Issue.record("\(text): \(error)")
            }
        }
    }

    @Test func aDirectoryThatIsAFileIsUnavailable() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.path + "/file", contents: Data([1]))
        #expect(throws: BlobStoreError.unavailable("\(directory.path)/file is not a directory")) {
            try FileSystemBlobStore(directory: directory.path + "/file", create: false)
        }
        #expect(throws: BlobStoreError.self) { try FileSystemBlobStore(directory: directory.path + "/missing", create: false) }
        #expect(throws: BlobStoreError.self) { try FileSystemBlobStore(directory: directory.path + "/file/below") }
    }

    /// Readers racing a writer that replaces a large blob see either whole version, never a mix.
    @Test func readersNeverSeeAPartialBlob() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(directory: directory.path)
        let name = try BlobName("snapshot")
        let size = 4 << 20
        try await store.put(name, Array(repeating: 0, count: size))
        // The tasks on Swift's pool: under `.onTestThreads` they would inherit the test's one thread.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask(executorPreference: globalConcurrentExecutor) {
                for version in 1...20 { try await store.put(name, Array(repeating: UInt8(version), count: size)) }
            }
            for _ in 0..<2 {
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    for _ in 0..<40 {
                        let bytes = try await store.get(name)
                        #expect(bytes.count == size)
                        #expect(bytes.allSatisfy { $0 == bytes[0] })
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// What is put in a blob's place on disk is read only if it is a regular file of the announced size.
@Suite(.onTestThreads) struct FileSystemBlobStoreHostileFileTests {
    // A FIFO would block forever; the limit stops that, with room for a loaded CI machine (257 s seen).
    @Test(.timeLimit(.minutes(10))) func aFIFOInABlobsPlaceIsRefusedNotWaitedOn() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(directory: directory.path)
        let name = try BlobName("delta-00000000000000000002")
        #expect(mkfifo(directory.path + "/" + name.text, 0o644) == 0)
        // A plain open of a FIFO with no writer blocks for good.
        await #expect(throws: BlobStoreError.io(operation: "open", path: directory.path + "/" + name.text, message: "not a regular file")) {
            try await store.get(name)
        }
        await #expect(throws: BlobStoreError.self) { try await store.get(name, expectedSize: 10) }
    }

    @Test func aHugeFileInADeltasPlaceIsRefusedBeforeItIsRead() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(directory: directory.path)
        let name = try BlobName("delta-00000000000000000002")
        try await store.put(name, [1, 2, 3])
        #expect(try await store.get(name, expectedSize: 3) == [1, 2, 3])
        await #expect(throws: BlobStoreError.sizeMismatch(name, expected: 4, found: 3)) { try await store.get(name, expectedSize: 4) }
        // 3 GB, sparse: reading it whole (as the store did) would take 3 GB of memory.
        let huge: Int64 = 3 << 30
        #expect(truncate(directory.path + "/" + name.text, off_t(huge)) == 0)
        await #expect(throws: BlobStoreError.sizeMismatch(name, expected: 3, found: Int(huge))) {
            try await store.get(name, expectedSize: 3)
        }
    }

    @Test func aConsumerRefusesAHugeDeltaWithoutReadingItAndTakesTheSnapshotPath() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(directory: directory.path + "/blobs")
        let log = try FileSystemAnnouncementLog(file: directory.path + "/blobs/../announcements.jsonl")
        let producer = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log,
                                configuration: .init(producerID: "test", snapshotEvery: 1), logger: quiet)
        let consumer = Consumer(blobStore: store, announcementLog: log, logger: quiet)
        var movies = TestCatalog.movies(30)
        try await producer.cycle(movies)
        try await consumer.refresh()
        movies[1]!.title = "changed once"
        try await producer.cycle(movies)  // version 2: a delta and a snapshot
        let delta = try #require(try await log.history().latest?.delta)
        #expect(truncate(store.directory + "/" + delta.name.text, off_t(3 << 30)) == 0)
        let report = try await consumer.refresh()
        #expect(report.toVersion == 2)
        #expect(report.steps.map(\.kind) == [.snapshot])
        #expect(report.failuresPlannedAround == [.blobMismatch(delta.name, expected: "\(delta.size) bytes", found: "\(3 << 30) bytes")])
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
    }
}
