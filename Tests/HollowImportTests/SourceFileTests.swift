import Foundation
import HollowCore
@testable import HollowImport
import Testing
import TestThreads

/// A source file read into memory of its own (`SourceFile`), whose pages the import gives back as
/// its readers pass them.
@Suite(.onTestThreads) struct SourceFileTests {
    static func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("source-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The rows of the state, as text, sorted; or the error; and the bytes the file gave back.
    static func read(_ text: String, format: SourceFormat, minimumPartBytes: Int) throws -> (Result<[String], ImportError>, given: Int, size: Int) {
        let path = try temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = try SourceFile(contentsOf: path)
        do {
            let state = WriteState(schema: ImportPartsTests.schema)
            try state.beginCycle()
            var importer = RecordImporter(schema: ImportPartsTests.schema)
            importer.minimumPartBytes = minimumPartBytes
            try importer.importRecords(from: source, format: format, type: "P", file: "input", into: state)
            let read = try ReadState(snapshot: try #require(try state.writeBlobs()).snapshot)
            let records = read.objectType("P")!
            let (name, size, note) = (records.field("name")!, records.field("size")!, records.field("note")!)
            let rows = records.ordinals.map { "\(records.string($0, name)!) \(records.int($0, size)!) \(records.string($0, note) ?? "-")" }
            return (.success(rows.sorted()), source.bytesGivenBack, source.count)
        } catch let error as ImportError {
            return (.failure(error), source.bytesGivenBack, source.count)
        }
    }

    @Test func aSourceFileHoldsTheWholeFile() throws {
        let text = ImportPartsTests.text(2_000, format: .tsv)
        let path = try Self.temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = try SourceFile(contentsOf: path)
        #expect(source.count == text.utf8.count)
        #expect(Array(source.bytes) == Array(text.utf8))
        #expect(source.bytesGivenBack == 0)
        #expect(source.path == path)

        let empty = try Self.temporaryFile("")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(try SourceFile(contentsOf: empty).count == 0)
    }

    @Test func aFileThatCannotBeReadIsATypedError() {
        do {
            _ = try SourceFile(contentsOf: "/nonexistent/source.tsv")
            Issue.record("a missing file was read")
        } catch {
            #expect(error.path == "/nonexistent/source.tsv" && error.reason.hasPrefix("cannot open"), "\(error)")
        }
        do {
            _ = try SourceFile(contentsOf: FileManager.default.temporaryDirectory.path)
            Issue.record("a directory was read")
        } catch {
            #expect(error.reason == "a directory, not a file", "\(error)")
        }
    }

    /// A pipe (`<(zcat file.gz)`), whose size is known only at its end, is read whole too.
    @Test func aPipeIsReadToItsEnd() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID().uuidString)").path
        #expect(mkfifo(path, 0o600) == 0)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = ImportPartsTests.text(50_000, format: .tsv)  // more than a pipe's buffer and a read's chunk
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: path)!
            handle.write(Data(text.utf8))
            try? handle.close()
        }
        writer.start()
        let source = try SourceFile(contentsOf: path)
        #expect(source.count == text.utf8.count)
        #expect(Array(source.bytes) == Array(text.utf8))
    }

    /// A CSV or TSV import gives the file's pages back: importing the same `SourceFile` again is
    /// refused (JSON Lines, which keeps them, may be imported again, but not after a TSV import).
    @Test func aSourceFileWhosePagesWereGivenBackIsNotImportedAgain() throws {
        let path = try Self.temporaryFile(ImportPartsTests.text(40_000, format: .tsv))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = try SourceFile(contentsOf: path)
        let state = WriteState(schema: ImportPartsTests.schema)
        try state.beginCycle()
        var importer = RecordImporter(schema: ImportPartsTests.schema)
        #expect(try importer.importRecords(from: source, format: .tsv, type: "P", into: state) == 40_000)
        #expect(source.bytesGivenBack > 0)
        for format in [SourceFormat.tsv, .jsonLines] {
            var again = RecordImporter(schema: ImportPartsTests.schema)
            do {
                try again.importRecords(from: source, format: format, type: "P", into: state)
                Issue.record("\(format): a file whose pages were given back was imported again")
            } catch {
                #expect(error.problem == .sourceAlreadyImported && error.file == path, "\(error)")
            }
        }

        let lines = try Self.temporaryFile(ImportPartsTests.text(100, format: .jsonLines))
        defer { try? FileManager.default.removeItem(atPath: lines) }
        let jsonLines = try SourceFile(contentsOf: lines)
        for _ in 0..<2 {
            var importer = RecordImporter(schema: ImportPartsTests.schema)
            #expect(try importer.importRecords(from: jsonLines, format: .jsonLines, type: "P", into: state) == 100)
        }
        #expect(jsonLines.bytesGivenBack == 0)
    }

    /// CSV and TSV give their pages back as they are read, in one part or in several, and give
    /// the records and errors of bytes read from memory; JSON Lines keeps them (its cache of nested
    /// values points into the text).
    @Test(arguments: [SourceFormat.jsonLines, .csv, .tsv], [Int.max, 1_000])
    func theImportGivesThePagesItPassedBack(format: SourceFormat, minimumPartBytes: Int) throws {
        let text = ImportPartsTests.text(40_000, format: format)
        let expected = try ImportPartsTests.read(text, format: format, minimumPartBytes: .max).get()
        let (records, given, size) = try Self.read(text, format: format, minimumPartBytes: minimumPartBytes)
        #expect(try records.get() == expected)
        if format == .jsonLines {
            #expect(given == 0)
        } else {
            // All but the pages parts share (at most 8 parts), and the header's and the last ones.
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            #expect(given > size - 24 * page && given <= size, "\(given) of \(size) bytes given back")
        }

        // A malformed row after pages were given back: the error of a reading from memory.
        let broken = ImportPartsTests.text(40_000, format: format) { index, line in
            index == 39_000 ? line.replacingOccurrences(of: "39000", with: "x39000") : line
        }
        guard case .failure(let error) = ImportPartsTests.read(broken, format: format, minimumPartBytes: .max),
              case .failure(let fromFile) = try Self.read(broken, format: format, minimumPartBytes: minimumPartBytes).0
        else {
            Issue.record("no error for a malformed size")
            return
        }
        #expect(fromFile.description == error.description)
    }
}
