import HollowCore
@testable import HollowImport
import Testing
import TestThreads

@Suite(.onTestThreads) struct ValueCacheTests {
    func end(_ text: String) -> Int? {
        Array(text.utf8).withUnsafeBytes { SourceCursor($0).jsonValueEnd() }
    }

    @Test func valueEndsAreFoundByStructure() {
        #expect(end(#"{"a": [1, {"b": "}"}], "c": "\"]"} tail"#) == 34)
        #expect(end(#""x\"y", 1"#) == 6)
        #expect(end("12.5e3}") == 6)
        #expect(end("true,") == 4)
        #expect(end("[1, 2\n]") == nil)
        #expect(end(#"{"a": "b"#) == nil)
        #expect(end("}") == nil)
        #expect(end("") == nil)
        #expect(end(#""unterminated\"#) == nil)
    }

    @Test func repeatedNestedValuesAreOneRecordAndStillChecked() throws {
        var lines: [String] = []
        // 5,000 different people first (past the point where a rarely repeating type stops being
        // cached), then the same people again, and a country written twice with different spacing.
        for id in 0..<5_000 {
            lines.append(#"{"id": \#(id), "title": "t", "count": 1, "active": true, "maker": {"name": "P\#(id)", "country": "NL"}}"#)
        }
        for id in 5_000..<10_000 {
            lines.append(#"{"id": \#(id), "title": "t", "count": 1, "active": true, "maker": {"name": "P\#(id % 5_000)", "country":  "NL"}}"#)
        }
        let state = try importing(lines.joined(separator: "\n"), format: .jsonLines, type: "Item")
        #expect(state.recordCount("Item") == 10_000)
        #expect(state.recordCount("Person") == 5_000)
        #expect(state.recordCount("Country") == 1)
        // A nested value seen before still refuses what is wrong around it.
        let genres = #"{"id": 1, "title": "t", "count": 1, "active": true, "genres": ["a", "b"]}"#
        #expect(importError(genres + "\n" + genres.replacingOccurrences(of: "\"id\": 1", with: "\"id\": 2, \"id\": 3"))?.description
                == "input:2:11: Item.id is given twice")
        #expect(importError(genres + "\n" + #"{"id": 2, "genres": ["a", "b"], "title": 5}"#)?.description
                == "input:2:42: Item.title is a string, found a number")
    }
}
