import Foundation
import Testing
import TestThreads

@testable import HollowCodable
import HollowCore

@Suite(.onTestThreads) struct CodableTests {
    @Test func derivesTheSchemaOfANestedStruct() throws {
        let schema = try Schema(deriving: Movie.self)
        let expected = try Schema(parsing: """
            type Genre { value: string }
            set SetOfGenre of Genre
            type Person key(name) {
                name: string
                born: long?
            }
            list ListOfPerson of Person
            type String { value: string }
            type Double { value: double }
            map MapOfStringToDouble of String to Double
            type Movie key(id) {
                id: bytes
                title: string
                year: long
                rating: double?
                genres: SetOfGenre
                cast: ListOfPerson
                director: Person?
                ratings: MapOfStringToDouble
                poster: bytes?
                released: double
            }
            """)
        #expect(schema == expected)
    }

    @Test func derivesEveryScalarAndShape() throws {
        let schema = try Schema(deriving: Everything.self)
        let object = try #require(schema.object("Everything"))
        let fields = Dictionary(uniqueKeysWithValues: object.fields.map { ($0.name, "\($0.type)\($0.isNullable ? "?" : "")") })
        #expect(fields == [
            "int": "long", "int8": "int", "int16": "int", "int32": "int", "int64": "long",
            "uint": "long", "uint8": "int", "uint16": "int", "uint32": "long", "uint64": "long",
            "float": "float", "double": "double", "bool": "bool", "string": "string",
            "data": "bytes", "date": "double", "uuid": "bytes", "url": "string",
            "level": "long", "mood": "string?", "distance": "double", "distances": "ListOfMeters",
            "maybeNumbers": "ListOfNullableLong", "nested": "ListOfListOfString", "table": "MapOfStringToListOfLong?",
            "levels": "SetOfLevel", "moods": "ListOfMood", "box": "BoxOfInt", "optionalBox": "BoxOfString?",
            "uuids": "SetOfUUID", "dates": "MapOfDateToURL", "maybeLists": "ListOfNullableListOfLong",
            "roles": "MapOfStringToNullablePerson",
        ])
        #expect(schema["NullableListOfLong"] == .object(ObjectSchema("NullableListOfLong", fields: [FieldSchema("value", .reference("ListOfLong"), nullable: true)])))
        #expect(schema["Meters"] == .object(ObjectSchema("Meters", fields: [FieldSchema("value", .double)])))
        #expect(schema["NullableLong"] == .object(ObjectSchema("NullableLong", fields: [FieldSchema("value", .long, nullable: true)])))
        #expect(schema["Level"] == .object(ObjectSchema("Level", fields: [FieldSchema("value", .long)])))
        #expect(schema["ListOfListOfString"] == .list(name: "ListOfListOfString", element: "ListOfString"))
        #expect(schema["BoxOfInt"] == .object(ObjectSchema("BoxOfInt", fields: [FieldSchema("item", .long)])))
        // The derived schema survives its text form, as blobs carry it.
        #expect(try Schema(parsing: schema.description) == schema)
    }

    @Test func namesTypes() {
        #expect(Schema.typeName(of: Movie.self) == "Movie")
        #expect(Schema.typeName(of: [Int].self) == "ListOfLong")
        #expect(Schema.typeName(of: Set<Int16>.self) == "SetOfInteger")
        #expect(Schema.typeName(of: [String: [Int?]].self) == "MapOfStringToListOfNullableLong")
        #expect(Schema.typeName(of: Box<Box<Int>>.self) == "BoxOfBoxOfInt")
        #expect(Schema.typeName(of: Named.self) == "Renamed")
    }

    @Test func roundTripsThroughASnapshot() throws {
        let writer = WriteState(schema: try Schema(deriving: Movie.self))
        try writer.beginCycle()
        let ordinals = try HollowEncoder(writer).add(contentsOf: [Fixtures.first, Fixtures.second, Fixtures.third])
        let blobs = try #require(try writer.writeBlobs())
        writer.commit()

        let state = try ReadState(snapshot: blobs.snapshot)
        let decoder = HollowDecoder(state)
        #expect(try decoder.decode(Movie.self, ordinal: ordinals[0]) == Fixtures.first)
        #expect(try decoder.decode(Movie.self, ordinal: ordinals[1]) == Fixtures.second)
        #expect(try state.value(Movie.self, ordinal: ordinals[2]) == Fixtures.third)
        #expect(Set(try state.values(Movie.self)) == [Fixtures.first, Fixtures.second, Fixtures.third])
        // Nested types can be read on their own.
        #expect(Set(try state.values(Person.self)) == [Fixtures.ann, Fixtures.bob, Fixtures.cid])
        #expect(Set(try state.values(String.self)) == ["imdb", "critics"])
        #expect(Set(try state.values(Genre.self)) == [.drama, .scifi, .comedy])
    }

    @Test func roundTripsEveryScalarAndShape() throws {
        let value = Everything(
            int: .min, int8: -128, int16: .max, int32: -7, int64: .max, uint: .max, uint8: 255, uint16: 65535,
            uint32: .max, uint64: .max - 1, float: -0.0, double: .pi, bool: true, string: "héllo, wörld ✓",
            data: Data([0, 1, 2, 255]), date: Date(timeIntervalSinceReferenceDate: 1e9 + 0.1), uuid: UUID(),
            url: URL(string: "https://example.com/a?b=c#d")!, level: .high, mood: .sad,
            distance: Meters(42.195), distances: [Meters(1), Meters(2), Meters(1)], maybeNumbers: [1, nil, 3, nil],
            nested: [["a", "b"], [], ["a"]], table: ["odd": [1, 3], "even": [], "none": [0]], levels: [.low, .high],
            moods: [.happy, .happy, .sad], box: Box(item: 7), optionalBox: Box(item: "boxed"),
            uuids: [UUID(), UUID()], dates: [Date(timeIntervalSince1970: 0): URL(string: "file:///tmp/x")!],
            maybeLists: [[1, 2], nil, [], nil], roles: ["lead": Fixtures.ann, "extra": nil])
        var sparse = value
        sparse.mood = nil
        sparse.table = nil
        sparse.optionalBox = nil
        sparse.maybeNumbers = [nil]
        sparse.maybeLists = []
        sparse.roles = ["ghost": nil]
        sparse.int = 0

        let writer = WriteState(schema: try Schema(deriving: Everything.self))
        try writer.beginCycle()
        let full = try writer.add(value)
        let empty = try writer.add(sparse)
        let blobs = try #require(try writer.writeBlobs())
        let state = try ReadState(snapshot: blobs.snapshot)
        #expect(try state.value(Everything.self, ordinal: full) == value)
        #expect(try state.value(Everything.self, ordinal: empty) == sparse)
    }

    @Test func equalValuesShareOneOrdinal() throws {
        let writer = WriteState(schema: try Schema(deriving: Movie.self))
        try writer.beginCycle()
        let encoder = HollowEncoder(writer)
        let ann = try encoder.add(Person(name: "Ann", born: 1970))
        let again = try encoder.add(Person(name: "Ann", born: 1970))
        let bob = try encoder.add(Fixtures.bob)
        #expect(ann == again)
        #expect(ann != bob)
        // Ann is the director and twice in the cast of `first`: still one record.
        let movie = try encoder.add(Fixtures.first)
        #expect(try encoder.add(Fixtures.first) == movie)
        let blobs = try #require(try writer.writeBlobs())
        let state = try ReadState(snapshot: blobs.snapshot)
        #expect(state.recordCount("Person") == 2)
        #expect(state.recordCount("Movie") == 1)
        let cast = try #require(state.listType("ListOfPerson"))
        let director = try #require(state.objectType("Movie").flatMap { reader in reader.field("director").flatMap { reader.reference(movie, $0) } })
        #expect(director == ann)
        #expect(cast.elements(try #require(state.objectType("Movie").flatMap { reader in reader.field("cast").flatMap { reader.reference(movie, $0) } })) == [ann, bob, ann])
    }

    @Test func findsValuesByPrimaryKey() throws {
        let writer = WriteState(schema: try Schema(deriving: Movie.self))
        let state = try ReadState(snapshot: try writeCycle(writer, [Fixtures.first, Fixtures.second, Fixtures.third]).snapshot)

        let movies = try HollowPrimaryKeyIndex<Movie>(state)
        #expect(movies.index.fields == ["id"])
        #expect(try movies.value(for: Fixtures.second.id) == Fixtures.second)
        #expect(try movies[Fixtures.third.id] == Fixtures.third)
        #expect(try movies.value(for: UUID()) == nil)
        #expect(movies.ordinal(Fixtures.first.id) != nil)

        let people = try HollowPrimaryKeyIndex<Person>(state)
        #expect(try people["Cid"] == Fixtures.cid)
        #expect(try people.value(for: "Nobody") == nil)

        let byYear = try HollowHashIndex<Movie>(state, fields: ["year"])
        #expect(try byYear.values(for: 2001) == [Fixtures.second])
        let byDirector = try HollowHashIndex<Movie>(state, fields: ["director.name"])
        #expect(try byDirector.values(for: "Ann") == [Fixtures.first])
    }

    @Test func duplicatePrimaryKeysAreRefused() throws {
        let writer = WriteState(schema: try Schema(deriving: Movie.self))
        try writer.beginCycle()
        var clash = Fixtures.first
        clash.title = "Another title, same id"
        try writer.add(Fixtures.first)
        try writer.add(clash)
        #expect(throws: WriteError.self) { try writer.writeBlobs() }
    }

    @Test func followsADelta() throws {
        let writer = WriteState(schema: try Schema(deriving: Movie.self))
        let before = try ReadState(snapshot: try writeCycle(writer, [Fixtures.first, Fixtures.second]).snapshot)
        let index = try HollowPrimaryKeyIndex<Movie>(before)

        var renamed = Fixtures.first
        renamed.title = "First Light (restored)"
        renamed.cast.append(Fixtures.cid)
        let blobs = try writeCycle(writer, [renamed, Fixtures.third])
        let after = try before.applying(delta: try #require(blobs.delta))

        #expect(Set(try after.values(Movie.self)) == [renamed, Fixtures.third])
        #expect(Set(try after.values(Movie.self)) == Set(try ReadState(snapshot: blobs.snapshot).values(Movie.self)))
        let updated = try index.updated(to: after)
        #expect(try updated.value(for: Fixtures.first.id) == renamed)
        #expect(try updated.value(for: Fixtures.second.id) == nil)
        #expect(try updated.value(for: Fixtures.third.id) == Fixtures.third)
        // The old state and its index are unchanged.
        #expect(try index.value(for: Fixtures.first.id) == Fixtures.first)
        #expect(try index.value(for: Fixtures.second.id) == Fixtures.second)
        // And the reverse delta leads back.
        let back = try after.applying(delta: try #require(blobs.reverseDelta))
        #expect(Set(try back.values(Movie.self)) == [Fixtures.first, Fixtures.second])
    }

    @Test func writesIntoAHandWrittenSchema() throws {
        // Below the root, values go where the schema's fields point: Swift and schema type names
        // may differ, and integers go to int fields when they fit.
        let schema = try Schema(parsing: """
            type Human key(name) {
                name: string
                born: int?
            }
            list Crew of Human
            type Tag { value: string }
            set Tags of Tag
            type Film key(code) {
                code: long
                title: string
                year: int
                crew: Crew
                tags: Tags
                lead: Human?
            }
            """)
        struct Film: Codable, Equatable {
            var code: Int
            var title: String
            var year: Int
            var crew: [Person]
            var tags: Set<String>
            var lead: Person?
        }
        let film = Film(code: 1, title: "Heat", year: 1995, crew: [Fixtures.ann, Fixtures.bob], tags: ["crime", "la"], lead: Fixtures.bob)
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        try writer.add(film)
        var tooLate = film
        tooLate.code = 2
        tooLate.year = Int(Int32.max) + 1
        #expect(throws: HollowCodableError.valueOutOfRange(type: "Film", field: "year", value: "2147483648", target: "int")) {
            try writer.add(tooLate)
        }
        let state = try ReadState(snapshot: try #require(try writer.writeBlobs()).snapshot)
        #expect(try HollowPrimaryKeyIndex<Film>(state).value(for: 1) == film)
        #expect(try HollowPrimaryKeyIndex<Person>(state, typeName: "Human").value(for: "Ann") == Fixtures.ann)
    }

    @Test func addsFromManyTasksAtOnce() async throws {
        let writer = WriteState(schema: try Schema(deriving: Movie.self))
        try writer.beginCycle()
        let movies = (0..<64).map { (number: Int) -> Movie in
            let actor = Person(name: "Actor \(number % 7)", born: 1900 + number % 7)
            let released = Date(timeIntervalSince1970: Double(number) * 86_400)
            let genre: Genre = Genre.allCases[number % 4]
            return Movie(id: UUID(), title: "Movie \(number)", year: 1950 + number, rating: Double(number % 10), genres: [genre],
                         cast: [actor], director: Fixtures.ann, ratings: ["n": Double(number)], poster: nil, released: released)
        }
        // The tasks on Swift's pool: under `.onTestThreads` they would inherit the test's one thread.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for movie in movies { group.addTask(executorPreference: globalConcurrentExecutor) { try writer.add(movie) } }
            try await group.waitForAll()
        }
        let state = try ReadState(snapshot: try #require(try writer.writeBlobs()).snapshot)
        #expect(Set(try state.values(Movie.self)) == Set(movies))
        #expect(state.recordCount("Person") == 8)
    }
}
