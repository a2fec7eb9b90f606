import Foundation
import PropertyBased
import SystemPackage
import Testing
import TestThreads
@testable import Hollow

@Suite(.onTestThreads) struct LocalFileTests {
    @Test func aMissingFileIsNilAndNotAnError() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let missing = try LocalFile.open(directory.path + "/missing", .readOnly)
        switch consume missing {
        case .none: break
        case .some: Issue.record("a missing file opened")
        }
        // Creating in a directory that does not exist is an error, with the system's reason.
        #expect {
            _ = try LocalFile.open(directory.path + "/no/such/file", .readWrite, options: [.create])
        } throws: { error in
            let error = try #require(error as? FileIOError)
            return error.isNotFound && error.operation == "open" && error.path.hasSuffix("/no/such/file")
                && error.description == "open \(directory.path)/no/such/file: No such file or directory"
        }
    }

    @Test func writesReadsTruncatesAndReportsItsSize() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let path = directory.path + "/file"
        let file = try LocalFile.create(path)
        try file.write([1, 2, 3, 4])
        try file.sync()
        try file.close()
        let again = try existing(path, .readWrite)
        try again.write([9, 9], at: 3)
        #expect(try again.size() == 5)
        #expect(try again.read(from: 0) == [1, 2, 3, 9, 9])
        #expect(try again.read(from: 1, to: 3) == [2, 3])
        #expect(try again.read(from: 4, to: 100) == [9])
        #expect(try again.read(from: 10) == [])
        try again.truncate(to: 2)
        #expect(try again.readExactly(2) == [1, 2])
        #expect(throws: FileIOError("read", path, message: "the file ended at 2 of 3 bytes")) { try again.readExactly(3) }
        // `create` never replaces a file.
        #expect(throws: FileIOError("create", path, .fileExists)) { _ = try LocalFile.create(path) }
    }

    @Test func readsLargerThanOneChunk() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let folder = try LocalDirectory(directory.path, create: true)
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try folder.replaceDurably("big", with: bytes)
        let file = try existing(folder.appending("big"), .readOnly)
        #expect(try file.read(from: 0) == bytes)
        #expect(try file.read(from: 70_000, to: 140_001) == Array(bytes[70_000..<140_001]))
        #expect(try file.readExactly(bytes.count) == bytes)
    }

    @Test func aFIFOIsRefusedWithoutBlocking() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let path = directory.path + "/fifo"
        #expect(mkfifo(path, 0o644) == 0)
        // Opened for reading with no writer, a FIFO would block a plain open for good.
        #expect(throws: FileIOError("open", path, message: "not a regular file")) {
            _ = try LocalFile.open(path, .readOnly, options: [.nonBlocking], regularOnly: true)
        }
        #expect(throws: FileIOError("open", directory.path, message: "not a regular file")) {
            _ = try LocalFile.open(directory.path, .readOnly, regularOnly: true)
        }
    }

    @Test func locksExcludeOtherOpenFilesAndAreReleased() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let path = directory.path + "/lock"
        try LocalFile.create(path).close()
        let first = try existing(path, .readWrite)
        let second = try existing(path, .readWrite)
        #expect(try first.tryLock(.shared))
        #expect(try second.tryLock(.shared))
        second.unlock()
        #expect(try !second.tryLock(.exclusive))
        first.unlock()
        #expect(try second.tryLock(.exclusive))
        #expect(try !first.tryLock(.shared))
        // Closing a file releases its lock.
        try second.close()
        #expect(try first.tryLock(.exclusive))
        try first.lock(.exclusive)  // already held: returns at once
    }

    @Test func closingReleasesTheDescriptor() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let folder = try LocalDirectory(directory.path, create: true)
        try folder.replaceDurably("a", with: [1])
        let before = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        for _ in 0..<200 {
            let file = try existing(folder.appending("a"), .readOnly)
            _ = try file.read(from: 0)
        }
        // Other suites open files in this process at the same time; a leak here would be 200.
        #expect(try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count < before + 100)
    }
}

@Suite(.onTestThreads) struct LocalDirectoryTests {
    @Test func createsParentsAndRefusesWhatIsNotADirectory() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let nested = try LocalDirectory(directory.path + "/a/b/c//", create: true)
        #expect(nested.path == directory.path + "/a/b/c")
        #expect(try LocalDirectory(directory.path + "/a").path == directory.path + "/a")
        try nested.replaceDurably("file", with: [1])
        #expect(throws: FileIOError("open", nested.appending("file"), message: "not a directory")) {
            try LocalDirectory(nested.appending("file"))
        }
        #expect { try LocalDirectory(directory.path + "/missing") } throws: { ($0 as? FileIOError)?.isNotFound == true }
        #expect(LocalDirectory.containing("/var/log/x.jsonl") == "/var/log")
        #expect(LocalDirectory.containing("x.jsonl") == ".")
        #expect(LocalDirectory.containing("/x") == "/")
    }

    @Test func replacesDurablyListsAndRemoves() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let folder = try LocalDirectory(directory.path, create: true)
        try folder.replaceDurably("one", with: [1, 2])
        try folder.replaceDurably("one", with: [3])
        try folder.replaceDurably("two", with: [])
        #expect(try folder.names().sorted() == ["one", "two"])  // no temporary file left behind
        #expect(try existing(folder.appending("one"), .readOnly).read(from: 0) == [3])
        #expect(try folder.remove("one"))
        #expect(try !folder.remove("one"))
        #expect(try folder.names() == ["two"])
    }

    @Test func aFailedReplaceLeavesNoTemporaryFile() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let folder = try LocalDirectory(directory.path, create: true)
        // The final name is a directory: the rename fails, and the temporary file goes.
        try FileManager.default.createDirectory(atPath: folder.appending("taken"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: folder.appending("taken/inside"), withIntermediateDirectories: false)
        #expect { try folder.replaceDurably("taken", with: [1]) } throws: { error in
            (error as? FileIOError)?.operation == "rename to \(folder.appending("taken"))"
        }
        #expect(try folder.names() == ["taken"])
    }

    @Test func whatIsReplacedReadsBackWhole() async {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        await propertyCheck(count: 20, input: Gen.int(in: 0...255).array(of: 0...20_000).map { $0.map(UInt8.init) }) { bytes in
            let folder = try LocalDirectory(directory.path, create: true)
            try folder.replaceDurably("blob", with: bytes)
            let file = try existing(folder.appending("blob"), .readOnly, regularOnly: true)
            #expect(try file.readExactly(try file.size()) == bytes)
        }
    }
}

private struct MissingFile: Error { let path: String }

/// The file at `path`, which must exist.
private func existing(_ path: String, _ access: FileDescriptor.AccessMode, regularOnly: Bool = false) throws -> LocalFile {
    guard let file = try LocalFile.open(path, access, regularOnly: regularOnly) else { throw MissingFile(path: path) }
    return file
}
