import HollowCore
import HollowImport
import Testing
import TestThreads

/// Fields read under the names real files give them: a CSV or TSV header's column, a JSON key, in
/// nested records too; the schema's own name then means nothing; bad names are refused up front.
@Suite(.onTestThreads) struct SourceNameTests {
    let names = ["Row": ["name": "full name", "score": "rank_among_15000_most_downloaded"], "Country": ["code": "iso"]]

    @Test func aHeadersColumnsAreReadAsTheFieldsTheyName() throws {
        for (format, separator) in [(SourceFormat.csv, ","), (.tsv, "\t")] {
            let text = ["id", "full name", "rank_among_15000_most_downloaded"].joined(separator: separator) + "\n"
                + ["1", "Ann", "12"].joined(separator: separator) + "\n"
            let state = try importing(text, format: format, type: "Row", sourceNames: names)
            let rows = try #require(state.objectType("Row"))
            let first = try #require(try lookup(state, "Row", .int(1)))
            #expect(rows.string(first, rows.field("name")!) == "Ann" && rows.double(first, rows.field("score")!) == 12, "\(format)")
            // Renamed, the schema's name is no longer a column.
            let old = ["id", "name"].joined(separator: separator) + "\n1" + separator + "Ann\n"
            #expect(importError(old, format: format, type: "Row", sourceNames: names)?.description == "input:1:4: Row has no field 'name'")
        }
    }

    @Test func jsonKeysAreReadAsTheFieldsTheyNameInNestedRecordsToo() throws {
        let text = #"{"id": 1, "full name": "Ann", "country": {"iso": "NL"}}"# + "\n"
        let state = try importing(text, format: .jsonLines, type: "Row", sourceNames: names)
        let rows = try #require(state.objectType("Row")), countries = try #require(state.objectType("Country"))
        let first = try #require(try lookup(state, "Row", .int(1)))
        #expect(rows.string(first, rows.field("name")!) == "Ann" && rows.isNull(first, rows.field("score")!))
        #expect(countries.string(rows.reference(first, rows.field("country")!)!, countries.field("code")!) == "NL")
        #expect(importError(#"{"id": 1, "name": "Ann"}"#, type: "Row", sourceNames: names)?.description.contains("Row has no field 'name'") == true)
    }

    @Test func badNamesAreRefusedBeforeAnythingIsRead() {
        func refusal(_ names: [String: [String: String]]) -> RecordImporter.SourceNameError? {
            do {
                _ = try RecordImporter(schema: importSchema, sourceNames: names)
                return nil
            } catch {
                return error
            }
        }
        #expect(refusal(["Nope": ["a": "b"]]) == .unknownType("Nope"))
        #expect(refusal(["Row": ["nope": "b"]]) == .unknownField(type: "Row", field: "nope"))
        #expect(refusal(["Row": ["name": ""]]) == .emptyName(type: "Row", field: "name"))
        #expect(refusal(["Row": ["name": "note"]]) == .sameName(type: "Row", name: "note", fields: ["name", "note"]))
        #expect(refusal(["Row": ["name": "note", "note": "name"]]) == nil, "two fields may swap names")
        #expect(refusal(["Row": ["name": "note"]])?.description == "Row: 'note' would name both name and note")
    }
}
