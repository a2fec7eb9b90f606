import Foundation
import HollowCore
import HollowTools
import Testing
import TestThreads

@Suite(.onTestThreads) struct StateDiffTests {
    /// Version 1: movies 1, 2, 3 directed by Ann or Bob.
    private func before() throws -> ReadState {
        let b = try StateBuilder()
        let ann = try b.person("Ann"), bob = try b.person("Bob")
        try b.movie(1, "Heat", year: 1995, director: ann)
        try b.movie(2, "Ran", year: 1985, director: bob)
        try b.movie(3, "Alien", year: 1979)
        return try b.readState()
    }

    @Test func addedRemovedAndChangedRecordsByPrimaryKey() throws {
        let b = try StateBuilder()
        let ann = try b.person("Ann", country: "US"), bob = try b.person("Bob")
        try b.movie(1, "Heat", year: 1996, director: ann)        // year changed; director Ann now has a country
        try b.movie(2, "Ran", year: 1985, director: bob)         // unchanged
        try b.movie(4, "Brazil", year: 1985, extra: ["rating": .double(8)])  // added; 3 removed
        let old = try before(), new = try b.readState()
        let diff = StateDiff(from: old, to: new)

        let movies = try #require(diff.types.first { $0.name == "Movie" })
        #expect(movies.primaryKey == ["id"])
        #expect(movies.added.map(\.key) == [["id=4"]])
        #expect(movies.added.first?.json.hasPrefix(#"{"id": 4, "title": "Brazil", "year": 1985"#) == true)
        #expect(movies.removed.map(\.key) == [["id=3"]])
        #expect(movies.removed.first?.json.hasPrefix(#"{"id": 3, "title": "Alien""#) == true)
        #expect(movies.changed.map(\.key) == [["id=1"]])
        #expect(movies.changed.map(\.fields) == [["year", "director"]])
        #expect(movies.changed.first?.fieldChanges.first == TypeDiff.FieldChange(name: "year", before: "1995", after: "1996"))
        #expect(movies.changed.first?.keyValues == [.long(1)] && movies.added.first?.keyValues == [.long(4)])
        #expect(movies.removed.first?.keyValues == [.long(3)])
        #expect(movies.fromRecordCount == 3 && movies.toRecordCount == 3)
        // The ordinals lead back to the records in their states.
        let change = try #require(movies.changed.first)
        #expect(RecordJSON(state: old).object("Movie", change.fromOrdinal).contains(#""year": 1995"#))
        #expect(RecordJSON(state: new).object("Movie", change.toOrdinal).contains(#""year": 1996"#))
        #expect(RecordJSON(state: new).object("Movie", movies.added[0].ordinal) == movies.added[0].json)
        #expect(RecordJSON(state: old).object("Movie", movies.removed[0].ordinal) == movies.removed[0].json)
        #expect(movies.hasChanges && diff.hasChanges)

        let people = try #require(diff.types.first { $0.name == "Person" })
        #expect(people.changed.map(\.key) == [[#"name="Ann""#]])
        #expect(people.changed.map(\.fields) == [["country"]])
        #expect(people.added.isEmpty && people.removed.isEmpty)
    }

    @Test func aLimitKeepsTheFirstRecordsAndCountsThemAll() throws {
        let b = try StateBuilder()
        let ann = try b.person("Ann", country: "US"), bob = try b.person("Bob")
        try b.movie(1, "Heat", year: 1996, director: ann)
        try b.movie(2, "Ran", year: 1986, director: bob)
        try b.movie(4, "Brazil", year: 1985)
        try b.movie(5, "Alphaville", year: 1965)
        let diff = StateDiff(from: try before(), to: try b.readState(), keeping: 1)
        let movies = try #require(diff.types.first { $0.name == "Movie" })
        #expect(movies.addedCount == 2 && movies.added.map(\.key) == [["id=4"]])
        #expect(movies.changedCount == 2 && movies.changed.map(\.key) == [["id=1"]])
        #expect(movies.removedCount == 1 && movies.removed.count == 1)
        #expect(StateDiff(from: try before(), to: try before(), keeping: 0).types.allSatisfy { !$0.hasChanges })
    }

    @Test func typesWithoutAKeyAreComparedByCount() throws {
        let b = try StateBuilder()
        try b.add("Genre", ["name": .string("war")])
        let diff = StateDiff(from: try before(), to: try b.readState(), onlyType: "Genre")
        #expect(diff.types.count == 1)
        let genres = try #require(diff.types.first)
        #expect(genres.primaryKey == nil)
        #expect(genres.fromRecordCount == 0 && genres.toRecordCount == 1)
        #expect(genres.added.isEmpty && genres.hasChanges)
    }

    @Test func identicalStatesHaveNoChanges() throws {
        let diff = StateDiff(from: try before(), to: try before())
        #expect(!diff.hasChanges)
        #expect(Set(diff.types.map(\.name)) == ["Country", "Person", "Genre", "Genres", "Cast", "Score", "Ratings", "Award", "Awards", "Movie"])
        #expect(diff.types.count == 10)
        #expect(StateDiff(from: try before(), to: try before(), onlyType: "Nothing").types.isEmpty)
    }

    @Test func schemaChangesBetweenStates() throws {
        // The new schema adds a field to Movie and drops the type Award (and Awards).
        let text = toolsSchemaText
            .replacingOccurrences(of: "type Award { year: int  title: string }\n", with: "")
            .replacingOccurrences(of: "map Awards of Award to Score\n", with: "")
            .replacingOccurrences(of: "    awards: Awards?\n", with: "    studio: string?\n")
        let b = try StateBuilder(schema: text)
        let ann = try b.person("Ann"), bob = try b.person("Bob")
        try b.movie(1, "Heat", year: 1995, director: ann, extra: ["studio": .string("WB")])  // the new field set
        try b.movie(2, "Ran", year: 1985, director: bob)                                     // the new field null
        try b.movie(3, "Alien", year: 1979)
        let diff = StateDiff(from: try before(), to: try b.readState())
        let movies = try #require(diff.types.first { $0.name == "Movie" })
        // A field one state lacks counts as null there.
        #expect(movies.changed.map(\.key) == [["id=1"]])
        #expect(movies.changed.map(\.fields) == [["studio"]])
        #expect(movies.changed.first?.fieldChanges.first == TypeDiff.FieldChange(name: "studio", before: "null", after: #""WB""#))
        // Types only the old state has come last.
        #expect(diff.types.suffix(2).map(\.name) == ["Award", "Awards"])
    }
}
