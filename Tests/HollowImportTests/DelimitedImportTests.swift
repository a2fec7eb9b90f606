import HollowCore
import HollowImport
import Testing
import TestThreads

@Suite(.onTestThreads) struct DelimitedImportTests {
    @Test func csvReadsQuotedCellsNullsAndShorthandRecords() throws {
        let text = """
            id,name,note,score,flag,country
            1,plain,,2.5,true,NL
            2,"with ""quotes"", a comma
            and a line break",note,-1e3,false,
            3,"",x,NaN,TRUE,DE\r
            """
        let state = try importing(text, format: .csv, type: "Row")
        let rows = try #require(state.objectType("Row"))
        #expect(rows.recordCount == 3)
        let first = try #require(try lookup(state, "Row", .int(1)))
        #expect(rows.isNull(first, rows.field("note")!))
        #expect(rows.double(first, rows.field("score")!) == 2.5)
        let country = try #require(rows.reference(first, rows.field("country")!))
        #expect(state.objectType("Country")!.string(country, state.objectType("Country")!.field("code")!) == "NL")
        let second = try #require(try lookup(state, "Row", .int(2)))
        #expect(rows.string(second, rows.field("name")!) == "with \"quotes\", a comma\nand a line break")
        #expect(rows.isNull(second, rows.field("country")!))
        let third = try #require(try lookup(state, "Row", .int(3)))
        #expect(rows.string(third, rows.field("name")!) == "")
        #expect(rows.double(third, rows.field("score")!)!.isNaN)
    }

    @Test func tsvReadsEscapes() throws {
        let text = "id\tname\tnote\n1\ttab\\there\tline\\nbreak \\\\ \\x\n2\t\"quoted\"\t\n"
        let state = try importing(text, format: .tsv, type: "Row")
        let rows = try #require(state.objectType("Row"))
        let first = try #require(try lookup(state, "Row", .int(1)))
        #expect(rows.string(first, rows.field("name")!) == "tab\there")
        #expect(rows.string(first, rows.field("note")!) == "line\nbreak \\ \\x")
        let second = try #require(try lookup(state, "Row", .int(2)))
        #expect(rows.string(second, rows.field("name")!) == "\"quoted\"")
        #expect(rows.isNull(second, rows.field("note")!))
    }

    @Test(arguments: [
        ("", "input:1:1: expected a header row naming the fields, found an empty file"),
        ("id,name,color\n", "input:1:9: Row has no field 'color'"),
        ("id,name,id\n", "input:1:9: Row.id is given twice"),
        ("id,note\n", "input:1: Row.name has no value and is not nullable"),
        ("id,name\n1,a,b\n", "input:2:5: expected 2 cells, as in the header, found more"),
        ("id,name\n1\n", "input:2: expected 2 cells, as in the header, found 1"),
        ("id,name\nx,a\n", "input:2:1: Row.id is an int, found 'x'"),
        ("id,name\n,a\n", "input:2:1: Row.id has no value and is not nullable"),
        ("id,name,flag\n1,a,yes\n", "input:2:5: Row.flag is a bool, found 'yes'"),
        ("id,name\n1,\"open\n", "input:2:3: expected '\"' closing the cell that opens here, found the end of the file"),
        ("id,name\n1,\"a\"b\n", "input:2:6: expected a separator or the end of the line after the closing '\"', found 'b'"),
        ("id,name\n1,a\"b\n", "input:2:4: expected no '\"' inside a cell that does not start with one (quote the whole cell and double the quote), found '\"'"),
        ("id,name\n1,a\n1,b\n", "input:3: Row primary key id=1 was already given, differently, at input:2"),
    ])
    func csvRefusals(text: String, message: String) {
        #expect(importError(text, format: .csv, type: "Row")?.description == message)
    }

    @Test func collectionFieldsCannotBeCells() {
        #expect(importError("id,title,count,active,cast\n", format: .csv, type: "Item")?.description
                == "input:1:23: Item.cast: a Cast array cannot be written in one cell; use JSON Lines")
        #expect(importError("id\ttitle\tcount\tactive\tmaker\n", format: .tsv, type: "Item")?.description
                == "input:1:23: Item.maker: a Person object cannot be written in one cell; use JSON Lines")
    }

    @Test func formatsAreKnownByNameAndExtension() {
        #expect(SourceFormat(fileName: "a/b.movies.jsonl") == .jsonLines)
        #expect(SourceFormat(fileName: "x.NDJSON") == .jsonLines)
        #expect(SourceFormat(fileName: "x.csv") == .csv)
        #expect(SourceFormat(fileName: "x.tab") == .tsv)
        #expect(SourceFormat(fileName: "x.json") == nil)
        #expect(SourceFormat(fileName: "dir.csv/file") == nil)
        #expect(SourceFormat(name: "TSV") == .tsv)
    }
}
