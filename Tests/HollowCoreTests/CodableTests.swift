import Foundation
import PropertyBased
import Testing
@testable import HollowCore

// MARK: Model types

enum Genre: String, Codable, CaseIterable, Hashable, Sendable {
    case drama, comedy, scifi, documentary
}

struct Person: Codable, Hashable, Sendable, HollowPrimaryKeyed {
    static let hollowPrimaryKey = ["name"]
    var name: String
    var born: Int?
}

struct Movie: Codable, Hashable, Sendable, HollowPrimaryKeyed {
    static let hollowPrimaryKey = ["id"]
    var id: UUID
    var title: String
    var year: Int
    var rating: Double?
    var genres: Set<Genre>
    var cast: [Person]
    var director: Person?
    var ratings: [String: Double]
    var poster: Data?
    var released: Date
}

enum Level: Int, Codable, CaseIterable, Hashable, Sendable {
    case low = 1, middle = 3, high = 5
}

/// A raw-value enum that is not CaseIterable: usable where it is optional.
enum Mood: String, Codable, Hashable, Sendable {
    case happy, sad
}

/// A type that encodes a single value: stored as that value.
struct Meters: Codable, Hashable, Sendable {
    var value: Double
    init(_ value: Double) { self.value = value }
    init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(Double.self) }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

struct Box<T: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    var item: T
}

/// Every scalar and shape the mapping knows.
struct Everything: Codable, Equatable, Sendable {
    var int: Int
    var int8: Int8
    var int16: Int16
    var int32: Int32
    var int64: Int64
    var uint: UInt
    var uint8: UInt8
    var uint16: UInt16
    var uint32: UInt32
    var uint64: UInt64
    var float: Float
    var double: Double
    var bool: Bool
    var string: String
    var data: Data
    var date: Date
    var uuid: UUID
    var url: URL
    var level: Level
    var mood: Mood?
    var distance: Meters
    var distances: [Meters]
    var maybeNumbers: [Int?]
    var nested: [[String]]
    var table: [String: [Int]]?
    var levels: Set<Level>
    var moods: [Mood]
    var box: Box<Int>
    var optionalBox: Box<String>?
    var uuids: Set<UUID>
    var dates: [Date: URL]
    var maybeLists: [[Int]?]
    var roles: [String: Person?]
}

// MARK: Fixtures

enum Fixtures {
    static let ann = Person(name: "Ann", born: 1970)
    static let bob = Person(name: "Bob", born: nil)
    static let cid = Person(name: "Cid", born: 1985)

    static let first = Movie(
        id: UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!, title: "First Light", year: 1999, rating: 7.5,
        genres: [.drama, .scifi], cast: [ann, bob, ann], director: ann, ratings: ["imdb": 7.5, "critics": 8.25],
        poster: Data([0x89, 0x50, 0x4E, 0x47, 0, 255]), released: Date(timeIntervalSince1970: 923_000_000.123_456))
    static let second = Movie(
        id: UUID(uuidString: "00000000-0000-0000-0000-000000000042")!, title: "Second Wind", year: 2001, rating: nil,
        genres: [], cast: [], director: nil, ratings: [:], poster: nil, released: Date(timeIntervalSinceReferenceDate: -1.5))
    static let third = Movie(
        id: UUID(uuidString: "F0E1D2C3-B4A5-9687-7869-5A4B3C2D1E0F")!, title: "Third Act", year: 2024, rating: 9.0,
        genres: [.comedy], cast: [cid, bob], director: cid, ratings: ["imdb": 6.0], poster: Data(), released: Date())
}

/// Writes one cycle of `values` and returns the blobs, committed.
@discardableResult
func writeCycle<T: Encodable>(_ state: WriteState, _ values: [T]) throws -> CycleBlobs {
    try state.beginCycle()
    try HollowEncoder(state).add(contentsOf: values)
    let blobs = try #require(try state.writeBlobs())
    state.commit()
    return blobs
}

/// Sample types for the property tests.
struct Child: Codable, Hashable, Sendable {
    var label: String
    var weight: Float
    var level: Level?
}

struct Sample: Codable, Hashable, Sendable {
    var id: Int64
    var name: String
    var score: Double?
    var tags: [String]
    var flags: Set<Int8>
    var counts: [String: UInt64]
    var child: Child?
    var children: [Child]
    var when: Date
    var blob: Data
}

enum SampleGen {
    static let text = Gen.letterOrNumber.string(of: 0...8)
    static let child = zip(text, Gen.float(in: -1000...1000), Gen<Level>.case.optional)
        .map { Child(label: $0.0, weight: $0.1, level: $0.2) }
    static let head = zip(Gen.int64(), text, Gen.double(in: -1e12...1e12).optional, text.array(of: 0...4), Gen.int8().set(ofAtMost: 0...4))
    static let tail = zip(zip(text, Gen.uint64()).dictionary(ofAtMost: 0...3), child.optional, child.array(of: 0...3),
                          Gen.dateTime, Gen.uint8().array(of: 0...6))
    static let sample = zip(head, tail).map { head, tail in
        Sample(id: head.0, name: head.1, score: head.2, tags: head.3, flags: head.4, counts: tail.0, child: tail.1,
               children: tail.2, when: tail.3, blob: Data(tail.4))
    }
}

// MARK: Tests

@Suite struct CodableTests {
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
        try await withThrowingTaskGroup(of: Void.self) { group in
            for movie in movies { group.addTask { try writer.add(movie) } }
            try await group.waitForAll()
        }
        let state = try ReadState(snapshot: try #require(try writer.writeBlobs()).snapshot)
        #expect(Set(try state.values(Movie.self)) == Set(movies))
        #expect(state.recordCount("Person") == 8)
    }

    // MARK: Properties

    @Test func randomValuesRoundTrip() async throws {
        let schema = try Schema(deriving: Sample.self)
        await propertyCheck(count: 150, input: SampleGen.sample.array(of: 1...4)) { samples in
            let writer = WriteState(schema: schema)
            try writer.beginCycle()
            let ordinals = try HollowEncoder(writer).add(contentsOf: samples)
            let state = try ReadState(snapshot: try #require(try writer.writeBlobs()).snapshot)
            let decoder = HollowDecoder(state)
            for (sample, ordinal) in zip(samples, ordinals) {
                #expect(try decoder.decode(Sample.self, ordinal: ordinal) == sample)
            }
            #expect(state.recordCount("Sample") == Set(samples).count)
        }
    }

    @Test func randomDeltasLeadToTheNextCyclesValues() async throws {
        let schema = try Schema(deriving: Sample.self)
        let samples = SampleGen.sample.array(of: 0...5)
        await propertyCheck(count: 100, input: samples, samples) { first, second in
            let writer = WriteState(schema: schema)
            let before = try ReadState(snapshot: try writeCycle(writer, first).snapshot)
            try writer.beginCycle()
            try HollowEncoder(writer).add(contentsOf: second)
            guard let blobs = try writer.writeBlobs() else {
                #expect(Set(first) == Set(second))
                return
            }
            let after = try before.applying(delta: try #require(blobs.delta))
            #expect(Set(try after.values(Sample.self)) == Set(second))
            let back = try after.applying(delta: try #require(blobs.reverseDelta))
            #expect(Set(try back.values(Sample.self)) == Set(first))
        }
    }

    @Test func randomScalarsRoundTripInCollections() async throws {
        struct Scalars: Codable, Equatable {
            var longs: [Int64]
            var unsigned: Set<UInt64>
            var small: [Int8: UInt16]
            var floats: [Float]
            var maybe: [Double?]
        }
        let schema = try Schema(deriving: Scalars.self)
        let small = zip(Gen.int8(), Gen.uint16()).dictionary(ofAtMost: 0...5)
        await propertyCheck(count: 150, input: Gen.int64().array(of: 0...5), Gen.uint64().set(ofAtMost: 0...5), small,
                            Gen.float(in: -1e30...1e30).array(of: 0...5), Gen.double(in: -1...1).optional.array(of: 0...5)) { longs, unsigned, small, floats, maybe in
            let value = Scalars(longs: longs, unsigned: unsigned, small: small, floats: floats, maybe: maybe)
            let writer = WriteState(schema: schema)
            try writer.beginCycle()
            let ordinal = try writer.add(value)
            let state = try ReadState(snapshot: try #require(try writer.writeBlobs()).snapshot)
            #expect(try state.value(Scalars.self, ordinal: ordinal) == value)
        }
    }

    // MARK: Errors

    @Test func recursiveTypesAreRefused() {
        #expect(throws: HollowCodableError.recursiveType(type: "TreeNode", path: "TreeNode.children -> ListOfTreeNode -> TreeNode")) {
            try Schema(deriving: TreeNode.self)
        }
        let error = #expect(throws: HollowCodableError.self) { try Schema(deriving: Chain.self) }
        #expect(error == .recursiveType(type: "Chain", path: "Chain.next -> Chain"))
    }

    @Test func unsupportedTypesGiveTypedErrors() {
        /// Where the unsupported type error of deriving `type` points: "Type" or "Type.field".
        func unsupported(_ type: any Decodable.Type) -> String? {
            let error = #expect(throws: HollowCodableError.self) { try Schema(deriving: [type]) }
            guard case .unsupportedType(let type, let field, _)? = error else {
                Issue.record("not an unsupported type error: \(String(describing: error))")
                return nil
            }
            return field.map { "\(type).\($0)" } ?? type
        }
        #expect(unsupported(Shape.self) == "Shape")
        #expect(unsupported(HasShape.self) == "HasShape.shape")
        #expect(unsupported(DoubleOptional.self) == "DoubleOptional.value")
        #expect(unsupported(Pair.self) == "Pair")
        #expect(unsupported(Wrapped.self) == "Wrapped.inner")

        #expect(throws: HollowCodableError.noPlaceholderValue(type: "Mood")) { try Schema(deriving: Feeling.self) }
        // Optional, the same enum needs no placeholder.
        #expect(throws: Never.self) { try Schema(deriving: MaybeFeeling.self) }

        let collision = #expect(throws: HollowCodableError.self) { try Schema(deriving: Collision.self) }
        guard case .typeNameCollision(let name, _, _)? = collision else { Issue.record("\(String(describing: collision))"); return }
        #expect(name == "Item")

        let badKey = #expect(throws: HollowCodableError.self) { try Schema(deriving: BadKey.self) }
        guard case .invalidSchema(.invalid(let type, let field, _))? = badKey else { Issue.record("\(String(describing: badKey))"); return }
        #expect(type == "BadKey" && field == "nope")

        let failing = #expect(throws: HollowCodableError.self) { try Schema(deriving: Picky.self) }
        guard case .failed(let pickyType, _, _)? = failing else { Issue.record("\(String(describing: failing))"); return }
        #expect(pickyType == "Picky")
    }

    @Test func writingAndReadingErrorsSayWhere() throws {
        let writer = WriteState(schema: try Schema(deriving: Movie.self))
        try writer.beginCycle()
        #expect(throws: HollowCodableError.missingType(name: "Sample", swiftType: "Sample")) {
            try writer.add(Sample(id: 1, name: "", score: nil, tags: [], flags: [], counts: [:], child: nil, children: [],
                                  when: Date(), blob: Data()))
        }
        #expect(throws: HollowCodableError.missingField(type: "Person", field: "nickname")) {
            try HollowEncoder(writer).add(Nicknamed(name: "Al", born: nil, nickname: "Big Al"), as: "Person")
        }
        let ordinal = try writer.add(Fixtures.first)
        let state = try ReadState(snapshot: try #require(try writer.writeBlobs()).snapshot)
        let decoder = HollowDecoder(state)

        #expect(throws: HollowCodableError.noRecord(type: "Movie", ordinal: 99)) {
            try decoder.decode(Movie.self, ordinal: 99)
        }
        #expect(throws: HollowCodableError.typeMismatch(type: "Movie", field: "title", expected: "string", found: "Int")) {
            try decoder.decode(WrongTitle.self, ordinal: ordinal, as: "Movie")
        }
        #expect(throws: HollowCodableError.missingField(type: "Movie", field: "budget")) {
            try decoder.decode(WithBudget.self, ordinal: ordinal, as: "Movie")
        }
        // A field the data does not have is nil for an optional.
        #expect(try decoder.decode(WithOptionalBudget.self, ordinal: ordinal, as: "Movie").budget == nil)
        #expect(throws: HollowCodableError.valueOutOfRange(type: "Movie", field: "year", value: "1999", target: "Int8")) {
            try decoder.decode(TinyYear.self, ordinal: ordinal, as: "Movie")
        }
        #expect(throws: HollowCodableError.invalidValue(type: "Movie", field: "title", value: "First Light", target: "Mood")) {
            try decoder.decode(MoodTitle.self, ordinal: ordinal, as: "Movie")
        }
        #expect(throws: HollowCodableError.invalidValue(type: "Movie", field: "poster", value: "6 bytes", target: "UUID")) {
            try decoder.decode(UUIDPoster.self, ordinal: ordinal, as: "Movie")
        }
        let second = try HollowDecoder(ReadState(snapshot: try writeCycle(writer, [Fixtures.second]).snapshot))
        #expect(throws: HollowCodableError.unexpectedNull(type: "Movie", field: "rating")) {
            try second.decode(RequiredRating.self, ordinal: 0, as: "Movie")
        }
        #expect(throws: HollowCodableError.missingType(name: "Sample", swiftType: "Sample")) {
            try decoder.decodeAll(Sample.self)
        }
    }
}

// MARK: Types for the error tests

struct Named: Codable, HollowTypeNamed {
    static let hollowTypeName = "Renamed"
    var x: Int
}

struct TreeNode: Codable {
    var name: String
    var children: [TreeNode]
}

final class Chain: Codable {
    var value: Int = 0
    var next: Chain?
}

enum Shape: Codable {
    case circle(radius: Double)
    case square(side: Double)
}

struct HasShape: Codable {
    var shape: Shape
}

struct DoubleOptional: Codable {
    var value: Int??
}

/// Encodes itself as an array.
struct Pair: Codable {
    var a: Int
    var b: Int
    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        a = try container.decode(Int.self)
        b = try container.decode(Int.self)
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(a)
        try container.encode(b)
    }
}

/// Decodes a nested keyed container.
struct Wrapped: Codable {
    var value: Int
    enum Keys: String, CodingKey { case inner, value }
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        value = try container.nestedContainer(keyedBy: Keys.self, forKey: .inner).decode(Int.self, forKey: .value)
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        var inner = container.nestedContainer(keyedBy: Keys.self, forKey: .inner)
        try inner.encode(value, forKey: .value)
    }
}

struct Feeling: Codable {
    var mood: Mood
}

struct MaybeFeeling: Codable {
    var mood: Mood?
}

enum ScopeA { struct Item: Codable { var x: Int } }
enum ScopeB { struct Item: Codable { var y: String } }

struct Collision: Codable {
    var a: ScopeA.Item
    var b: ScopeB.Item
}

struct BadKey: Codable, HollowPrimaryKeyed {
    static let hollowPrimaryKey = ["nope"]
    var id: Int
}

/// Refuses the placeholder values of schema discovery.
struct Picky: Codable {
    var name: String
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        if name.isEmpty { throw DecodingError.dataCorruptedError(forKey: .name, in: container, debugDescription: "empty name") }
    }
}

struct Nicknamed: Codable {
    var name: String
    var born: Int?
    var nickname: String
}

struct WrongTitle: Codable { var title: Int }
struct WithBudget: Codable { var title: String; var budget: Int }
struct WithOptionalBudget: Codable { var title: String; var budget: Int? }
struct TinyYear: Codable { var year: Int8 }
struct MoodTitle: Codable { var title: Mood }
struct UUIDPoster: Codable { var poster: UUID }
struct RequiredRating: Codable { var rating: Double }
