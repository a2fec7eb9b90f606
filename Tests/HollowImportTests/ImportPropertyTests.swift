import Foundation
import HollowCore
import HollowImport
import PropertyBased
import Testing
import TestThreads

/// Random rows written by an independent writer (Foundation's JSONSerialization for JSON Lines, an
/// RFC 4180 writer for CSV, an escaping writer for TSV) read back exactly.
@Suite(.onTestThreads) struct ImportPropertyTests {
    struct Row: Equatable {
        var id: Int32
        var name: String
        var note: String?
        var score: Double?
        var flag: Bool?
        var country: String?
    }

    static let alphabet: [Character] = ["a", "Z", "0", " ", ",", "\"", "'", "\\", "\t", "\n", "\r\n", "{", "}", "[", ":", "é", "ß", "中", "😀", "\u{7F}", "\u{01}", "/"]

    static func rows(count: Int, seed: UInt64) -> [Row] {
        var random = seededGenerator(seed)
        func text(_ maximum: Int) -> String {
            String((0..<Int.random(in: 0...maximum, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
        }
        var ids = Set<Int32>()
        return (0..<count).map { _ in
            var id: Int32
            repeat { id = Int32.random(in: .min ... .max, using: &random) } while !ids.insert(id).inserted
            let noteText = text(12)
            return Row(
                id: id,
                name: text(20),
                note: Bool.random(using: &random) || noteText.isEmpty ? nil : noteText,
                score: Bool.random(using: &random) ? nil : [0, -0.5, 1e300, 5e-324, Double.random(in: -1e9...1e9, using: &random)].randomElement(using: &random)!,
                flag: [nil, true, false].randomElement(using: &random)!,
                country: Bool.random(using: &random) ? nil : ["NL", "FR", "", "a,b"].randomElement(using: &random)!
            )
        }
    }

    static func readBack(_ state: ReadState) throws -> [Int32: Row] {
        let rows = try #require(state.objectType("Row"))
        let countries = try #require(state.objectType("Country"))
        var result: [Int32: Row] = [:]
        for ordinal in rows.ordinals {
            let id = rows.int(ordinal, rows.field("id")!)!
            result[id] = Row(
                id: id, name: rows.string(ordinal, rows.field("name")!)!, note: rows.string(ordinal, rows.field("note")!),
                score: rows.double(ordinal, rows.field("score")!), flag: rows.bool(ordinal, rows.field("flag")!),
                country: rows.reference(ordinal, rows.field("country")!).map { countries.string($0, countries.field("code")!)! })
        }
        return result
    }

    static func expectSame(_ rows: [Row], _ state: ReadState) throws {
        let read = try readBack(state)
        #expect(read.count == rows.count)
        for row in rows { #expect(read[row.id] == row) }
    }

    @Test func jsonLinesRoundTrip() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...40), Gen.uint64()) { count, seed in
            let rows = Self.rows(count: count, seed: seed)
            var text = ""
            for row in rows {
                var object: [String: Any] = ["id": row.id, "name": row.name]
                if let note = row.note { object["note"] = note }
                object["score"] = row.score.map { $0 as Any } ?? NSNull()
                if let flag = row.flag { object["flag"] = flag }
                if let country = row.country { object["country"] = ["code": country] }
                let data = try JSONSerialization.data(withJSONObject: object)
                text += String(decoding: data, as: UTF8.self) + "\n"
            }
            try Self.expectSame(rows, try importing(text, format: .jsonLines, type: "Row"))
        }
    }

    @Test func csvRoundTrip() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...40), Gen.uint64()) { count, seed in
            // An empty cell is null in a nullable column: rows with an empty country code are left out.
            let rows = Self.rows(count: count, seed: seed).filter { $0.country != "" }
            func cell(_ text: String?) -> String {
                guard let text else { return "" }
                return text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) || text.isEmpty
                    ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
            }
            var text = "country,score,id,name,flag,note\r\n"
            for row in rows {
                let score = row.score.map { "\($0)" }
                text += [cell(row.country), cell(score), cell(String(row.id)), cell(row.name), cell(row.flag.map { "\($0)" }), cell(row.note)]
                    .joined(separator: ",") + "\r\n"
            }
            try Self.expectSame(rows, try importing(text, format: .csv, type: "Row"))
        }
    }

    @Test func tsvRoundTrip() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...40), Gen.uint64()) { count, seed in
            let rows = Self.rows(count: count, seed: seed).filter { $0.country != "" && $0.name != "" }
            func cell(_ text: String?) -> String {
                guard let text else { return "" }
                var escaped = ""
                for scalar in text.unicodeScalars {
                    switch scalar {
                    case "\t": escaped += "\\t"
                    case "\n": escaped += "\\n"
                    case "\r": escaped += "\\r"
                    case "\\": escaped += "\\\\"
                    default: escaped.unicodeScalars.append(scalar)
                    }
                }
                return escaped
            }
            var text = "id\tname\tnote\tscore\tflag\tcountry\n"
            for row in rows {
                text += [String(row.id), cell(row.name), cell(row.note), row.score.map { "\($0)" } ?? "", row.flag.map { "\($0)" } ?? "", cell(row.country)]
                    .joined(separator: "\t") + "\n"
            }
            try Self.expectSame(rows, try importing(text, format: .tsv, type: "Row"))
        }
    }

    @Test func randomDamageGivesAnErrorOrRecordsNeverACrash() async {
        await propertyCheck(count: 200, input: Gen.int(in: 1...6), Gen.uint64()) { damages, seed in
            var random = seededGenerator(seed)
            let line = #"{"id": 7, "title": "t\u00e9", "count": 3, "weight": 1.5, "active": true, "maker": {"name": "A", "country": "NL"}, "cast": [{"name": "B"}], "genres": ["x", "y"], "ratings": {"imdb": 7}}"#
            var bytes = Array((line + "\n" + line.replacingOccurrences(of: "\"id\": 7", with: "\"id\": 8") + "\n").utf8)
            for _ in 0..<damages {
                let position = Int.random(in: bytes.indices, using: &random)
                switch Int.random(in: 0...2, using: &random) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.remove(at: position)
                default: bytes.insert(Array("{}[],:\"\\0-e.n".utf8).randomElement(using: &random)!, at: position)
                }
                if bytes.isEmpty { break }
            }
            let state = WriteState(schema: importSchema)
            try state.beginCycle()
            var importer = RecordImporter(schema: importSchema)
            do {
                try bytes.withUnsafeBytes { _ = try importer.importRecords(from: $0, format: .jsonLines, type: "Item", file: "f", into: state) }
            } catch let error as ImportError {
                #expect(error.line >= 1 && error.line <= 3)
            }
        }
    }
}
