import Foundation
import HollowCore
import HollowImport
import Testing
import TestThreads

@Suite(.onTestThreads) struct JSONLinesImportTests {
    @Test func readsEveryFieldTypeAndNestedRecords() throws {
        let text = """
            {"id": 1, "title": "Caf\\u00e9 \\"Noir\\"\\n", "count": -2147483648, "weight": 1.5, "price": 1e3, "active": true, "blob": "AQID", "maker": {"name": "Ann", "born": 1970, "country": "NL"}, "cast": [{"name": "Ann", "born": 1970, "country": "NL"}, {"name": "Bo"}], "genres": ["drama", "comedy", "drama"], "ratings": {"imdb": 7.5, "critics": {"stars": 8}}}
            {"id": 9223372036854775807, "title": "😀 two", "count": 2147483647, "active": false, "weight": null}

              {"title": "keys in any order", "id": -9223372036854775808, "active": false, "count": 0, "ratings": [["imdb", 1], [{"name": "x"}, {"stars": 2.25}]]}
            """
        let state = try importing(text, format: .jsonLines, type: "Item")
        let items = try #require(state.objectType("Item"))
        #expect(items.recordCount == 3)
        let first = try #require(try lookup(state, "Item", .long(1)))
        #expect(items.string(first, items.field("title")!) == "Café \"Noir\"\n")
        #expect(items.int(first, items.field("count")!) == .min)
        #expect(items.float(first, items.field("weight")!) == 1.5)
        #expect(items.double(first, items.field("price")!) == 1000)
        #expect(items.bool(first, items.field("active")!) == true)
        #expect(items.bytes(first, items.field("blob")!) == [1, 2, 3])
        let people = try #require(state.objectType("Person"))
        #expect(people.recordCount == 2)  // Ann twice is one record
        let maker = try #require(items.reference(first, items.field("maker")!))
        #expect(people.string(maker, people.field("name")!) == "Ann")
        let cast = try #require(items.reference(first, items.field("cast")!))
        #expect(state.listType("Cast")!.elements(cast) == [maker, try #require(try lookup(state, "Person", .string("Bo")))])
        let genres = try #require(items.reference(first, items.field("genres")!))
        #expect(state.hashedType("Genres")!.count(genres) == 2)
        let ratings = try #require(items.reference(first, items.field("ratings")!))
        #expect(state.hashedType("Ratings")!.count(ratings) == 2)
        let second = try #require(try lookup(state, "Item", .long(.max)))
        #expect(items.string(second, items.field("title")!) == "😀 two")
        #expect(items.isNull(second, items.field("weight")!))
        #expect(items.isNull(second, items.field("maker")!))
        let third = try #require(try lookup(state, "Item", .long(.min)))
        #expect(state.hashedType("Ratings")!.count(items.reference(third, items.field("ratings")!)!) == 2)
    }

    @Test func acceptsCRLFBlankLinesAByteOrderMarkAndNoFinalNewline() throws {
        let text = "\u{FEFF}{\"id\": 1, \"name\": \"a\"}\r\n\r\n  \t\n{\"id\": 2, \"name\": \"b\"}"
        let state = try importing(text, format: .jsonLines, type: "Row")
        #expect(state.recordCount("Row") == 2)
    }

    @Test func anIdenticalLineTwiceIsOneRecord() throws {
        let line = #"{"id": 1, "name": "a"}"#
        let state = try importing(line + "\n" + line + "\n", format: .jsonLines, type: "Row")
        #expect(state.recordCount("Row") == 1)
    }

    @Test func anEmptyFileHasNoRecords() throws {
        #expect(try importing("", format: .jsonLines, type: "Row").recordCount("Row") == 0)
        #expect(try importing("\n\n", format: .jsonLines, type: "Row").recordCount("Row") == 0)
    }

    @Test func primaryKeysAreCheckedAcrossFiles() throws {
        let state = WriteState(schema: importSchema)
        try state.beginCycle()
        var importer = RecordImporter(schema: importSchema)
        func load(_ text: String, _ file: String) throws {
            var bytes = Array(text.utf8)
            _ = try bytes.withUnsafeMutableBytes {
                try importer.importRecords(from: UnsafeRawBufferPointer($0), format: .jsonLines, type: "Row", file: file, into: state)
            }
        }
        try load(#"{"id": 1, "name": "a"}"# + "\n" + #"{"id": 2, "name": "b"}"#, "one.jsonl")
        let error = #expect(throws: ImportError.self) { try load("\n" + #"{"id": 2, "name": "c"}"#, "two.jsonl") }
        #expect(error?.description == "two.jsonl:2: Row primary key id=2 was already given, differently, at one.jsonl:2")
        #expect(importer.recordCounts["Row"] == 2)
    }
}
