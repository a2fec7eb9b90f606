import Foundation
import HollowCore
@testable import HollowImport
import Testing
import TestThreads

/// A large file is read in parts side by side (`RecordImporter+Parts.swift`): the records and every
/// error must be those of one reading from start to end.
@Suite(.onTestThreads) struct ImportPartsTests {
    static let schema = try! Schema(parsing: "type P key(name) { name: string  size: int  note: string? }")

    /// `count` lines of `format` (a header first for CSV and TSV), line `n` of the data naming `p<n>`.
    static func text(_ count: Int, format: SourceFormat, edit: (Int, String) -> String = { $1 }) -> String {
        let lines = (1...count).map { index -> String in
            let line = switch format {
            case .jsonLines: #"{"name": "p\#(index)", "size": \#(index), "note": "n\#(index % 7)"}"#
            case .csv: "p\(index),\(index),n\(index % 7)"
            case .tsv: "p\(index)\t\(index)\tn\(index % 7)"
            }
            return edit(index, line)
        }
        let header = switch format {
        case .jsonLines: [String]()
        case .csv: ["name,size,note"]
        case .tsv: ["name\tsize\tnote"]
        }
        return (header + lines).joined(separator: "\r\n") + "\r\n"
    }

    /// The rows of the state, as text, sorted; or the error.
    static func read(_ text: String, format: SourceFormat, minimumPartBytes: Int) -> Result<[String], ImportError> {
        do {
            let state = WriteState(schema: schema)
            try state.beginCycle()
            var importer = RecordImporter(schema: schema)
            importer.minimumPartBytes = minimumPartBytes
            let bytes = Array(text.utf8)
            let count = try bytes.withUnsafeBytes { try importer.importRecords(from: $0, format: format, type: "P", file: "input", into: state) }
            let read = try ReadState(snapshot: try #require(try state.writeBlobs()).snapshot)
            let records = read.objectType("P")!
            let (name, size, note) = (records.field("name")!, records.field("size")!, records.field("note")!)
            let rows = records.ordinals.map { "\(records.string($0, name)!) \(records.int($0, size)!) \(records.string($0, note) ?? "-")" }
            #expect(rows.count == count)
            return .success(rows.sorted())
        } catch let error as ImportError {
            return .failure(error)
        } catch {
            Issue.record("\(error)")
            return .success([])
        }
    }

    /// Rows are added a batch at a time (`TopLevelBatch`): whichever of a repeated key and a
    /// malformed row comes first in the file is the error, as line by line, wherever the batch ends.
    @Test(arguments: [(duplicate: 5, malformed: 9), (9, 5), (3, 70), (70, 3), (TopLevelBatch.size - 1, TopLevelBatch.size),
                      (TopLevelBatch.size, TopLevelBatch.size - 1), (2 * TopLevelBatch.size + 2, 2 * TopLevelBatch.size + 72)])
    func theFirstProblemInABatchIsTheOneReported(duplicate: Int, malformed: Int) {
        for format in [SourceFormat.csv, .tsv] {
            let text = Self.text(3 * TopLevelBatch.size, format: format) { index, line in
                if index == duplicate { return format == .csv ? "p1,\(index),x" : "p1\t\(index)\tx" }
                if index == malformed { return format == .csv ? "p\(index),\(index),n,extra" : "p\(index)\t\(index)\tn\textra" }
                return line
            }
            guard case .failure(let error) = Self.read(text, format: format, minimumPartBytes: .max) else {
                Issue.record("\(format): no error")
                continue
            }
            // Line 1 is the header: data row n is on line n + 1.
            #expect(error.line == min(duplicate, malformed) + 1, "\(format): \(error)")
            if duplicate < malformed {
                guard case .duplicatePrimaryKey = error.problem else { Issue.record("\(format): \(error)"); continue }
            } else {
                guard case .malformed = error.problem else { Issue.record("\(format): \(error)"); continue }
            }
        }
    }

    @Test func linesAreCountedForTheRoomReserved() {
        func lines(_ text: String) -> Int { Array(text.utf8).withUnsafeBytes { RecordImporter.lineCount($0) } }
        #expect(lines("") == 0)
        #expect(lines("a") == 1)
        #expect(lines("a\n") == 1)
        #expect(lines("a\nb") == 2)
        #expect(lines("\n\n\n") == 3)
        #expect(lines(String(repeating: "row\ttext\n", count: 10_000)) == 10_000)
    }

    @Test(arguments: [SourceFormat.jsonLines, .csv, .tsv])
    func partsGiveTheRecordsAndErrorsOfOneReading(format: SourceFormat) throws {
        let whole = Self.text(3_000, format: format)
        let parts = Array(whole.utf8).withUnsafeBytes { RecordImporter.lineParts($0, from: 0, firstLine: 1, minimumBytes: 1_000, cores: 2, quoted: false) }
        #expect(parts.count == 2)
        let single = try Self.read(whole, format: format, minimumPartBytes: .max).get()
        #expect(single.count == 3_000)
        #expect(try Self.read(whole, format: format, minimumPartBytes: 1_000).get() == single)

        // A malformed line late in the file, in the second part: the same line and column.
        let firstDataLine = format == .jsonLines ? 1 : 2
        let broken = Self.text(3_000, format: format) { index, line in
            index == 2_500 ? line.replacingOccurrences(of: "2500", with: "x2500") : line
        }
        let expected = Self.read(broken, format: format, minimumPartBytes: .max)
        guard case .failure(let error) = expected else { Issue.record("no error for a malformed size"); return }
        #expect(error.line == 2_500 + firstDataLine - 1, "\(error)")
        guard case .failure(let inParts) = Self.read(broken, format: format, minimumPartBytes: 1_000) else {
            Issue.record("no error for a malformed size, read in parts")
            return
        }
        #expect(inParts.description == error.description)

        // A key given again, differently, in the other part: both lines named, earlier first.
        let twice = Self.text(3_000, format: format) { index, line in
            index == 2_900 ? line.replacingOccurrences(of: "p2900", with: "p10") : line
        }
        guard case .failure(let duplicate) = Self.read(twice, format: format, minimumPartBytes: 1_000) else {
            Issue.record("no error for a key given twice")
            return
        }
        #expect(duplicate.description.hasPrefix("input:\(2_900 + firstDataLine - 1): P primary key name=\"p10\" was already given, differently, at input:\(10 + firstDataLine - 1)"),
                "\(duplicate)")
    }

    @Test func filesThatCannotBeCutAtLineFeedsAreReadWhole() {
        func parts(_ text: String, quoted: Bool = false, cores: Int = 4) -> [RecordImporter.Part] {
            Array(text.utf8).withUnsafeBytes { RecordImporter.lineParts($0, from: 0, firstLine: 1, minimumBytes: 10, cores: cores, quoted: quoted) }
        }
        let lines = (1...40).map { "line \($0)" }
        let unix = lines.joined(separator: "\n")
        let cut = parts(unix)
        #expect(cut.count == 4)
        // Contiguous, cut after line feeds, each starting on the line it says.
        let bytes = Array(unix.utf8)
        #expect(cut.first?.range.lowerBound == 0 && cut.last?.range.upperBound == bytes.count)
        for (part, next) in zip(cut, cut.dropFirst()) {
            #expect(part.range.upperBound == next.range.lowerBound && bytes[next.range.lowerBound - 1] == UInt8(ascii: "\n"))
            let line = bytes[..<next.range.lowerBound].count { $0 == UInt8(ascii: "\n") } + 1
            #expect(next.firstLine == line)
        }
        #expect(parts(lines.joined(separator: "\r\n")).count == 4)
        #expect(parts(lines.joined(separator: "\r")).count == 1, "a lone carriage return is a line break too")
        #expect(parts(unix + "\n\"a,\nb\"", quoted: true).count == 1, "a quoted cell may hold a line break")
        #expect(parts(unix, cores: 1).count == 1)
        #expect(parts("short").count == 1)
    }

    /// Parts note keys in any order. A conflict between a line of the first part and a later one
    /// must not hide a problem a reading from start to end meets before that later line.
    @Test(arguments: [SourceFormat.jsonLines, .csv, .tsv])
    func aConflictReadOutOfOrderDoesNotHideAnEarlierProblem(format: SourceFormat) {
        // Data row n is on line n, after a header on line n + 1.
        let header = format == .jsonLines ? 0 : 1
        let text = Self.text(3_000, format: format) { index, line in
            switch index {
            case 5: format == .jsonLines ? line.replacingOccurrences(of: "\"size\": 5", with: "\"size\": \"five\"")
                : line.replacingOccurrences(of: format == .csv ? ",5," : "\t5\t", with: format == .csv ? ",five," : "\tfive\t")
            case 2_900: line.replacingOccurrences(of: "p2900", with: "p2")
            default: line
            }
        }
        for _ in 0..<5 {
            guard case .failure(let error) = Self.read(text, format: format, minimumPartBytes: 1_000) else {
                Issue.record("\(format): no error")
                return
            }
            #expect(error.line == 5 + header, "\(format): \(error)")
        }
        // Without the problem at line 5, the conflict is reported at its later line.
        let conflict = Self.text(3_000, format: format) { index, line in
            index == 2_900 ? line.replacingOccurrences(of: "p2900", with: "p2") : line
        }
        for _ in 0..<5 {
            guard case .failure(let error) = Self.read(conflict, format: format, minimumPartBytes: 1_000) else {
                Issue.record("\(format): no error")
                return
            }
            #expect(error.description.hasPrefix("input:\(2_900 + header): P primary key name=\"p2\" was already given, differently, at input:\(2 + header)"),
                    "\(format): \(error)")
        }
    }

    /// A header row ended by a lone carriage return: the rows' lines are counted from the header
    /// reader's count, which takes a lone carriage return as a line break.
    @Test func rowsAfterAHeaderEndedByACarriageReturnAreCountedRight() {
        #expect(importError("id,name\r1,a\rx,b\r", format: .csv, type: "Row")?.line == 3)
        #expect(importError("id\tname\r\n1\ta\r\nx\tb\r\n", format: .tsv, type: "Row")?.line == 3)
    }

    /// A copy of an importer keeps its own keys, as any value does.
    @Test func aCopyOfAnImporterKeepsItsOwnKeys() throws {
        let state = WriteState(schema: Self.schema)
        try state.beginCycle()
        func feed(_ importer: inout RecordImporter, _ text: String, _ file: String) throws {
            _ = try Array(text.utf8).withUnsafeBytes { try importer.importRecords(from: $0, format: .jsonLines, type: "P", file: file, into: state) }
        }
        var first = RecordImporter(schema: Self.schema)
        try feed(&first, #"{"name": "a", "size": 1}"#, "one")
        var second = first
        try feed(&first, #"{"name": "b", "size": 2}"#, "two")
        try feed(&second, #"{"name": "b", "size": 3}"#, "three")  // "b" is not a key the copy saw
        #expect(throws: ImportError.self) { try feed(&second, #"{"name": "a", "size": 4}"#, "four") }
    }
}
