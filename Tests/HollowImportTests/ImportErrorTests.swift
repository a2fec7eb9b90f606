import HollowCore
import HollowImport
import Testing
import TestThreads

/// Every refusal names the file, the line and the column of the first problem.
@Suite(.onTestThreads) struct ImportErrorTests {
    static let row = #"{"id": 1, "name": "a"}"#

    @Test(arguments: [
        // malformed JSON
        (#"{"id": 1, "name": "a""#, "input:1:22: expected ',' or '}' after a value, found the end of the file"),
        (#"{"id": 1 "name": "a"}"#, "input:1:10: expected ',' or '}' after a value, found a string"),
        (#"{"id": 1, "name": "a"} x"#, "input:1:24: expected the end of the line after the object, found 'x'"),
        (#"[1, 2]"#, "input:1:1: expected a JSON object starting the line, found an array"),
        (#"{"id": 1, "name": "a\#u{01}"}"#, "input:1:21: expected '\"' closing the string (a control character must be escaped), found the byte 0x01"),
        (#"{"id": 1, "name": "a\q"}"#, "input:1:22: expected an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX, found 'q'"),
        (#"{"id": 1, "name": "\ud800"}"#, "input:1:26: expected the low surrogate of a UTF-16 pair (\\uDC00 to \\uDFFF), found '\"'"),
        (#"{"id": 1, "name": tru}"#, "input:1:19: Row.name is a string, found a boolean"),
        (#"{"id": 01, "name": "a"}"#, "input:1:8: Row.id is an int, found '01', which is not a JSON number"),
        ("{\"id\": 1,\n\"name\": \"a\"}", "input:1:10: expected a field name in double quotes, found the end of the line"),
        // schema
        (#"{"id": 1, "name": "a", "color": "red"}"#, "input:1:24: Row has no field 'color'"),
        (#"{"id": 1, "name": "a", "name": "b"}"#, "input:1:24: Row.name is given twice"),
        (#"{"id": "1", "name": "a"}"#, "input:1:8: Row.id is an int, found a string"),
        (#"{"id": 2147483648, "name": "a"}"#, "input:1:8: Row.id is an int, found 2147483648, outside its range"),
        (#"{"id": 1.5, "name": "a"}"#, "input:1:8: Row.id is an int, found the number '1.5'"),
        (#"{"id": 1, "name": null}"#, "input:1:19: Row.name is a string, found null"),
        (#"{"id": 1}"#, "input:1:1: Row.name has no value and is not nullable"),
        (#"{"name": "a"}"#, "input:1:1: Row record without its primary key field 'id'"),
        (#"{"id": 1, "name": "a", "flag": 1}"#, "input:1:32: Row.flag is a bool, found a number"),
        (#"{"id": 1, "name": "a", "country": {"code": 1}}"#, "input:1:44: Country.code is a string, found a number"),
        (#"{"id": 1, "name": "a", "country": ["NL"]}"#, "input:1:35: Row.country is a Country object (or a string), found an array"),
    ])
    func jsonLinesRefusals(text: String, message: String) {
        #expect(importError(text, type: "Row")?.description == message)
    }

    @Test func theLineOfAProblemIsCounted() {
        let text = Self.row + "\n\n" + #"{"id": 2, "name": 3}"#
        #expect(importError(text, type: "Row")?.description == "input:3:19: Row.name is a string, found a number")
    }

    @Test func collectionsAndNestedRecordsAreChecked() {
        #expect(importError(#"{"id": 1, "title": "t", "count": 1, "active": true, "cast": [{"name": "a"}, null]}"#)?.description
                == "input:1:77: Cast.element is a Person object, found null")
        #expect(importError(#"{"id": 1, "title": "t", "count": 1, "active": true, "genres": "drama"}"#)?.description
                == "input:1:63: Item.genres is a Genres array, found a string")
        #expect(importError(#"{"id": 1, "title": "t", "count": 1, "active": true, "ratings": [["imdb"]]}"#)?.description
                == "input:1:72: expected ',' between the key and the value of a pair, found ']'")
        #expect(importError(#"{"id": 1, "title": "t", "count": 1, "active": true, "blob": "!!"}"#)?.description
                == "input:1:61: Item.blob is bytes (base64 text), found text that is not base64")
        #expect(importError(#"{"id": 1, "title": "t", "count": 1, "active": true, "maker": {"born": 1}}"#)?.description
                == "input:1:62: Person.name has no value and is not nullable")
    }

    @Test func duplicatePrimaryKeysNameBothLines() {
        let text = Self.row + "\n" + #"{"id": 2, "name": "b"}"# + "\n" + #"{"id": 1, "name": "c"}"#
        #expect(importError(text, type: "Row")?.description == "input:3: Row primary key id=1 was already given, differently, at input:1")
    }

    /// String keys live in the tracker's own table, which grows from 1,024 slots: a key seen
    /// thousands of lines before is still found, an identical line is no conflict, and a composite
    /// key differs by any of its parts.
    @Test func stringKeysAreTrackedAcrossManyLines() throws {
        let schema = try Schema(parsing: "type P key(name, tag) { name: string  tag: string  size: int }")
        var lines = (0..<5_000).map { #"{"name": "p\#($0)", "tag": "t", "size": \#($0)}"# }
        lines.append(#"{"name": "p17", "tag": "u", "size": 1}"#)      // another tag: another key
        lines.append(#"{"name": "p4999", "tag": "t", "size": 4999}"#)  // the same record again
        #expect(importError(lines.joined(separator: "\n"), type: "P", schema: schema) == nil)
        lines.append(#"{"name": "p3", "tag": "t", "size": 0}"#)
        #expect(importError(lines.joined(separator: "\n"), type: "P", schema: schema)?.description
                == "input:5003: P primary key name=\"p3\", tag=\"t\" was already given, differently, at input:4")
    }

    /// One type read from a TSV file (whose rows go through `ObjectRecordBatch`) and a JSON Lines
    /// file (`ObjectRecord`): the importer's key tracker sees the same key bytes from both, for
    /// every kind of key field, a nullable one included.
    @Test(arguments: [
        ("type K key(a, b) { a: string  b: int?  c: int }", "x\t-5\t1", #"{"a": "x", "b": -5, "c": 2}"#, "a=\"x\", b=-5"),
        ("type K key(a) { a: double  c: int }", "2.5\t1", #"{"a": 2.5, "c": 2}"#, "a=2.5"),
        ("type K key(a) { a: long  c: int }", "-9000000000\t1", #"{"a": -9000000000, "c": 2}"#, "a=-9000000000"),
        ("type K key(a) { a: bool  c: int }", "true\t1", #"{"a": true, "c": 2}"#, "a=true"),
    ])
    func aKeyIsTheSameKeyInEveryFormat(schema text: String, row: String, json: String, key: String) throws {
        let schema = try Schema(parsing: text)
        let header = schema.object("K")!.fields.map(\.name).joined(separator: "\t")
        let state = WriteState(schema: schema)
        try state.beginCycle()
        var importer = RecordImporter(schema: schema)
        try Array((header + "\n" + row + "\n").utf8).withUnsafeBytes {
            _ = try importer.importRecords(from: $0, format: .tsv, type: "K", file: "first.tsv", into: state)
        }
        let error = #expect(throws: ImportError.self) {
            try Array(json.utf8).withUnsafeBytes { _ = try importer.importRecords(from: $0, format: .jsonLines, type: "K", file: "second.jsonl", into: state) }
        }
        #expect(error?.description == "second.jsonl:1: K primary key \(key) was already given, differently, at first.tsv:2")
    }

    @Test func aNullPrimaryKeyIsMissing() throws {
        let schema = try Schema(parsing: "type K key(code) { code: string?  label: string }")
        #expect(importError(#"{"label": "x"}"#, type: "K", schema: schema)?.description == "input:1:1: K record without its primary key field 'code'")
    }

    @Test func invalidUTF8IsRefused() {
        var bytes = Array(#"{"id": 1, "name": "a"}"#.utf8)
        bytes[19] = 0xFF
        let state = WriteState(schema: importSchema)
        try? state.beginCycle()
        var importer = RecordImporter(schema: importSchema)
        let error = #expect(throws: ImportError.self) {
            try bytes.withUnsafeBytes { try importer.importRecords(from: $0, format: .jsonLines, type: "Row", file: "input", into: state) }
        }
        #expect(error?.description == "input:1:19: expected UTF-8 text, found bytes that are not UTF-8")
    }

    @Test func onlyObjectTypesCanBeImported() {
        #expect(importError("", type: "Cast")?.description == "input: the schema has no object type 'Cast'")
        #expect(importError("", type: "Nope")?.description == "input: the schema has no object type 'Nope'")
    }

    @Test func aTruncatedFileEndsWithAnError() {
        let full = #"{"id": 1, "name": "abc", "note": "x\u0041", "score": -1.5e3, "flag": true}"#
        for length in 1..<full.utf8.count {
            let prefix = String(decoding: Array(full.utf8.prefix(length)), as: UTF8.self)
            #expect(importError(prefix, type: "Row") != nil, "a prefix of \(length) bytes was accepted")
        }
        #expect(importError(full, type: "Row") == nil)
    }
}

/// Found in review: each of these was wrong once.
@Suite(.onTestThreads) struct ImportEdgeCaseTests {
    @Test func aKeyGivenAsNullCannotBeGivenAgain() {
        #expect(importError(#"{"id": 1, "name": "a", "note": null, "note": "x"}"#, type: "Row")?.description == "input:1:38: Row.note is given twice")
    }

    @Test func keysAreComparedByTheirBytes() throws {
        // "é" precomposed and decomposed are equal Swift strings, but different keys to the core.
        let text = #"{"id": 1, "name": "Caf\u00e9"}"# + "\n" + #"{"id": 2, "name": "Cafe\u0301"}"#
        let schema = try Schema(parsing: "type Row key(name) { id: int  name: string }")
        let state = try importing(text, format: .jsonLines, type: "Row", schema: schema)
        #expect(state.recordCount("Row") == 2)
        // The first place a key was seen is the one reported, however often an identical line repeats.
        let repeated = [#"{"id": 1, "name": "a"}"#, #"{"id": 1, "name": "a"}"#, #"{"id": 2, "name": "a"}"#].joined(separator: "\n")
        #expect(importError(repeated, type: "Row", schema: schema)?.description == "input:3: Row primary key name=\"a\" was already given, differently, at input:1")
    }

    @Test func numbersKeepTheirSignAndRange() throws {
        let state = try importing(#"{"id": 1, "name": "a", "score": -0}"#, format: .jsonLines, type: "Row")
        let rows = try #require(state.objectType("Row"))
        #expect(rows.double(0, rows.field("score")!)?.sign == .minus)
        #expect(importError(#"{"id": 1, "name": "a", "score": 1e400}"#, type: "Row")?.description
                == "input:1:33: Row.score is a double, found '1e400', outside its range")
        #expect(importError(#"{"id": 1, "title": "t", "count": 1, "active": true, "weight": 1e39}"#)?.description
                == "input:1:63: Item.weight is a float, found '1e39', outside its range")
        let long = "1." + String(repeating: "5", count: 300)
        #expect(try importing(#"{"id": 1, "name": "a", "score": \#(long)}"#, format: .jsonLines, type: "Row").recordCount("Row") == 1)
        #expect(importError("id,name,score\n1,a,1e400\n", format: .csv, type: "Row")?.description == "input:2:5: Row.score is a double, found '1e400'")
        #expect(try importing("id,name,score\n1,a,-Infinity\n", format: .csv, type: "Row").recordCount("Row") == 1)
    }

    @Test func csvPlacesProblemsAfterMultiLineCellsAndKeepsQuotedEmptyStrings() throws {
        #expect(importError("id,name,flag\n1,\"x\ny\",bad\n", format: .csv, type: "Row")?.description == "input:3:4: Row.flag is a bool, found 'bad'")
        #expect(importError("id,name,flag\n1,\"x\ry\",true\n2,b,bad\n", format: .csv, type: "Row")?.description == "input:4:5: Row.flag is a bool, found 'bad'")
        let state = try importing("id,name,note\n1,a,\"\"\n2,b,\n", format: .csv, type: "Row")
        let rows = try #require(state.objectType("Row"))
        let first = try #require(try lookup(state, "Row", .int(1))), second = try #require(try lookup(state, "Row", .int(2)))
        #expect(rows.string(first, rows.field("note")!) == "")
        #expect(rows.isNull(second, rows.field("note")!))
    }
}
