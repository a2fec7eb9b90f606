import Foundation
import HollowCore
import HollowTools
import Testing
import TestThreads

@Suite(.onTestThreads) struct RecordJSONTests {
    /// The JSON of the only Movie of a state built by `build`.
    private func movieJSON(_ build: (StateBuilder) throws -> Void) throws -> String {
        let builder = try StateBuilder()
        try build(builder)
        let state = try builder.readState()
        let ordinal = try #require(state.objectType("Movie").flatMap { Array($0.ordinals).first })
        return RecordJSON(state: state).object("Movie", ordinal)
    }

    @Test func everyFieldKind() throws {
        let json = try movieJSON { b in
            let ann = try b.person("Ann", country: "NL")
            let bob = try b.person("Bob")
            let cast = try b.state.add(list: [bob, ann, bob], to: "Cast")
            let genres = try b.state.add(set: [try b.add("Genre", ["name": .string("war")]), try b.add("Genre", ["name": .string("drama")])], to: "Genres")
            let ratings = try b.state.add(map: [
                (key: try b.add("Country", ["code": .string("US")]), value: try b.add("Score", ["stars": .double(4.5)])),
                (key: try b.add("Country", ["code": .string("FR")]), value: try b.add("Score", ["stars": .double(3)])),
            ], to: "Ratings")
            let awards = try b.state.add(map: [
                (key: try b.add("Award", ["year": .int(1999), "title": .string("best")]), value: try b.add("Score", ["stars": .double(5)])),
            ], to: "Awards")
            try b.movie(7, "Heat", year: 1995, director: ann, extra: [
                "weight": .float(0.5), "rating": .double(8.25), "seen": .bool(true), "poster": .bytes([0, 1, 0xFF]),
                "cast": .reference(cast), "genres": .reference(genres), "ratings": .reference(ratings), "awards": .reference(awards),
            ])
        }
        #expect(json == #"{"id": 7, "title": "Heat", "year": 1995, "weight": 0.5, "rating": 8.25, "seen": true, "poster": "AAH/", "#
            + #""director": {"name": "Ann", "country": "NL"}, "#
            + #""cast": [{"name": "Bob", "country": null}, {"name": "Ann", "country": "NL"}, {"name": "Bob", "country": null}], "#
            + #""genres": ["drama", "war"], "ratings": {"FR": 3, "US": 4.5}, "#
            + #""awards": [[{"year": 1999, "title": "best"}, 5]]}"#)
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
    }

    @Test func nullsAndNumbersThatAreNotFinite() throws {
        let json = try movieJSON { b in
            try b.movie(-1, "", year: Int32.min, extra: ["rating": .double(.infinity), "weight": .float(.nan)])
        }
        #expect(json == #"{"id": -1, "title": "", "year": -2147483648, "weight": null, "rating": null, "seen": false, "poster": null, "#
            + #""director": null, "cast": null, "genres": null, "ratings": null, "awards": null}"#)
    }

    @Test func largeAndFractionalNumbers() throws {
        let json = try movieJSON { b in
            try b.movie(Int64.max, "x", extra: ["rating": .double(1e20), "weight": .float(-2)])
        }
        #expect(json.hasPrefix(#"{"id": 9223372036854775807, "title": "x", "year": 2000, "weight": -2, "rating": 1e+20, "#))
    }

    @Test(arguments: [
        "quote \" and backslash \\", "line\nbreak\r\ttab", "control \u{01}\u{1F} and \u{7F}", "</script><b>html</b>",
        "emoji 🎬 and é and \u{2028}", "{\"injected\": true}",
    ])
    func hostileStringsAreEscaped(_ title: String) throws {
        let json = try movieJSON { b in try b.movie(1, title) }
        // Valid JSON whatever the string holds, and the string comes back unchanged.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["title"] as? String == title)
        #expect(object.count == 12)
        #expect(!json.contains("\n") && !json.contains("\u{01}"))
    }

    @Test func oneField() throws {
        let builder = try StateBuilder()
        let person = try builder.person("Ann", country: "NL")
        let state = try builder.readState()
        let people = try #require(state.objectType("Person"))
        let field = try #require(people.field("country"))
        #expect(RecordJSON(state: state).field("Person", person, field) == #""NL""#)
        #expect(RecordJSON(state: state).object("Person", person) == #"{"name": "Ann", "country": "NL"}"#)
        // A one-field type on its own is still an object; only as a reference is it its value.
        #expect(RecordJSON(state: state).object("Country", 0) == #"{"code": "NL"}"#)
        #expect(RecordJSON(state: state).object("Nothing", 0) == "null")
    }
}
