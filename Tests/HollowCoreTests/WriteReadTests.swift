import Testing
import TestThreads
@testable import HollowCore

let catalogSchemaText = """
    type Person key(name) {
        name: string
        born: int?
    }
    type Genre key(name) { name: string }
    set Genres of Genre
    list Cast of Person
    map Roles of Person to Genre
    type Movie key(id) {
        id: long
        title: string
        year: int
        rating: double?
        seen: bool
        poster: bytes?
        director: Person?
        genres: Genres
        cast: Cast
        roles: Roles
    }
    """

struct Catalog {
    let schema: Schema
    let state: WriteState

    init() throws {
        schema = try Schema(parsing: catalogSchemaText)
        state = WriteState(schema: schema)
    }

    func person(_ name: String, born: Int32?) throws -> Int {
        var record = ObjectRecord(schema.object("Person")!)
        try record.set("name", .string(name))
        try record.set("born", born.map { .int($0) })
        return try state.add(record)
    }

    func genre(_ name: String) throws -> Int {
        var record = ObjectRecord(schema.object("Genre")!)
        try record.set("name", .string(name))
        return try state.add(record)
    }

    @discardableResult
    func movie(_ id: Int64, _ title: String, year: Int32, rating: Double?, director: Int?, genres: [Int], cast: [Int]) throws -> Int {
        var record = ObjectRecord(schema.object("Movie")!)
        try record.set("id", .long(id))
        try record.set("title", .string(title))
        try record.set("year", .int(year))
        try record.set("rating", rating.map { .double($0) })
        try record.set("seen", .bool(id % 2 == 0))
        try record.set("poster", id % 3 == 0 ? nil : .bytes([UInt8(id & 0xFF), 1, 2]))
        try record.set("director", director.map { .reference($0) })
        try record.set("genres", .reference(try state.add(set: genres, to: "Genres")))
        try record.set("cast", .reference(try state.add(list: cast, to: "Cast")))
        let roles = zip(cast, genres.sorted()).map { (key: $0, value: $1) }
        try record.set("roles", .reference(try state.add(map: roles, to: "Roles")))
        return try state.add(record)
    }
}

@Suite(.onTestThreads) struct WriteReadTests {
    @Test func snapshotRoundTrip() throws {
        let catalog = try Catalog()
        try catalog.state.beginCycle()
        let ann = try catalog.person("Ann", born: 1970)
        let bob = try catalog.person("Bob", born: nil)
        let drama = try catalog.genre("Drama")
        let comedy = try catalog.genre("Comedy")
        let first = try catalog.movie(1, "First", year: 1999, rating: 7.5, director: ann, genres: [drama, comedy], cast: [ann, bob])
        let again = try catalog.movie(1, "First", year: 1999, rating: 7.5, director: ann, genres: [comedy, drama], cast: [ann, bob])
        #expect(first == again, "identical records share an ordinal")
        try catalog.movie(2, "Second", year: 2001, rating: nil, director: nil, genres: [], cast: [])
        let blobs = try #require(try catalog.state.writeBlobs())
        #expect(blobs.delta == nil)
        catalog.state.commit()

        let read = try ReadState(snapshot: blobs.snapshot)
        #expect(read.stateID == blobs.stateID)
        let movies = try #require(read.objectType("Movie"))
        #expect(movies.recordCount == 2)
        let title = try #require(movies.field("title"))
        let rating = try #require(movies.field("rating"))
        let year = try #require(movies.field("year"))
        let genres = try #require(movies.field("genres"))
        #expect(movies.string(first, title) == "First")
        #expect(movies.double(first, rating) == 7.5)
        #expect(movies.int(first, year) == 1999)
        let sets = try #require(read.hashedType("Genres"))
        let genreOrdinal = try #require(movies.reference(first, genres))
        #expect(sets.count(genreOrdinal) == 2)
        #expect(sets.contains(genreOrdinal, drama))
        #expect(sets.contains(genreOrdinal, comedy))
        let people = try #require(read.objectType("Person"))
        #expect(people.isNull(bob, people.field("born")!))
        #expect(people.int(ann, people.field("born")!) == 1970)
        let roles = try #require(read.hashedType("Roles"))
        let rolesOrdinal = try #require(movies.reference(first, movies.field("roles")!))
        #expect(roles.value(rolesOrdinal, forKey: ann) == min(drama, comedy))
        #expect(roles.value(rolesOrdinal, forKey: bob) == max(drama, comedy))
    }

    @Test func deltaAndReverseDelta() throws {
        let catalog = try Catalog()
        var snapshots: [[UInt8]] = []
        var deltas: [[UInt8]] = []
        var reverses: [[UInt8]] = []
        for cycle in 0..<6 {
            try catalog.state.beginCycle()
            var people: [Int] = []
            for index in 0..<20 where (index + cycle) % 7 != 0 {
                people.append(try catalog.person("P\(index)", born: index % 3 == 0 ? nil : Int32(1900 + index + cycle / 3)))
            }
            let genres = try ["A", "B", "C"].map { try catalog.genre($0) }
            for id in 0..<50 where (id * 7 + cycle) % 11 != 0 {
                try catalog.movie(Int64(id), "Movie \(id) v\(id % 5 == cycle % 5 ? cycle : 0)", year: Int32(1950 + id),
                                  rating: id % 4 == 0 ? nil : Double(id) / 10, director: people[id % people.count],
                                  genres: Array(genres.prefix(id % 4)), cast: Array(people.prefix(id % 6)))
            }
            let blobs = try #require(try catalog.state.writeBlobs())
            catalog.state.commit()
            snapshots.append(blobs.snapshot)
            if let delta = blobs.delta { deltas.append(delta) }
            if let reverse = blobs.reverseDelta { reverses.append(reverse) }
        }
        var state = try ReadState(snapshot: snapshots[0])
        for (index, delta) in deltas.enumerated() {
            state = try state.applying(delta: delta)
            let fresh = try ReadState(snapshot: snapshots[index + 1])
            #expect(StateDump(state) == StateDump(fresh), "after delta \(index + 1)")
            #expect(state.stateID == fresh.stateID)
        }
        for (index, reverse) in reverses.enumerated().reversed() {
            state = try state.applying(delta: reverse)
            #expect(StateDump(state) == StateDump(try ReadState(snapshot: snapshots[index])), "after reverse delta \(index)")
        }
        // A delta applied to a state it was not made from is refused.
        #expect(throws: BlobError.self) { try state.applying(delta: deltas[2]) }
    }

    @Test func cyclesWrittenTwiceOrDroppedKeepTheChain() throws {
        // The write state reads a cycle's records from the storage it builds for them: a cycle
        // written, given more records and written again, or written and dropped, must leave the
        // chain of committed states whole, and every record found again where it is.
        let catalog = try Catalog()
        var snapshots: [[UInt8]] = []
        var deltas: [[UInt8]] = []
        var expectedMovies: [Int] = []
        for cycle in 0..<10 {
            try catalog.state.beginCycle()
            var people: [Int] = []
            for index in 0..<20 where (index + cycle) % 5 != 0 { people.append(try catalog.person("P\(index)", born: Int32(1900 + index))) }
            let genres = try ["A", "B", "C"].map { try catalog.genre($0) }
            var movies = 0
            func movie(_ id: Int) throws {
                try catalog.movie(Int64(id), "Movie \(id) v\(id % 4 == cycle % 4 ? cycle : 0)", year: Int32(1950 + id),
                                  rating: id % 3 == 0 ? nil : Double(id), director: people[id % people.count],
                                  genres: Array(genres.prefix(id % 4)), cast: Array(people.prefix(id % 5)))
                movies += 1
            }
            for id in 0..<60 where (id + cycle) % 9 != 0 { try movie(id) }
            switch cycle % 3 {
            case 1:
                // Written, then more records, then written again: the second blobs are the cycle's.
                _ = try catalog.state.writeBlobs()
                for id in 100..<(103 + cycle) { try movie(id) }
                // A record added before the first writing is found again where it is.
                try movie(1)
                movies -= 1
            case 2:
                // Written and dropped: the next cycle continues from the last committed state.
                _ = try catalog.state.writeBlobs()
                catalog.state.rollback()
                continue
            default:
                break
            }
            let blobs = try #require(try catalog.state.writeBlobs())
            catalog.state.commit()
            snapshots.append(blobs.snapshot)
            if let delta = blobs.delta { deltas.append(delta) }
            expectedMovies.append(movies)
        }
        var state = try ReadState(snapshot: snapshots[0])
        #expect(state.types["Movie"]!.data.populatedCount == expectedMovies[0])
        for (index, delta) in deltas.enumerated() {
            state = try state.applying(delta: delta)
            let fresh = try ReadState(snapshot: snapshots[index + 1])
            #expect(StateDump(state) == StateDump(fresh), "after delta \(index + 1)")
            #expect(fresh.types["Movie"]!.data.populatedCount == expectedMovies[index + 1], "cycle \(index + 1)")
        }
    }

    @Test func aBatchAddsAsOneByOneAndStopsAtARefusal() throws {
        let schema = try Schema(parsing: "type A { n: int }\ntype B { n: int  a: A? }")
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        var a = ObjectRecord(schema.object("A")!)
        try a.set("n", .int(1))
        let target = try writer.add(a)
        func b(_ n: Int32, _ reference: Int) throws -> ObjectRecord {
            var record = ObjectRecord(schema.object("B")!)
            try record.set("n", .int(n))
            try record.set("a", .reference(reference))
            return record
        }
        // A repeat dedups inside the batch; the fourth refers to no record of A.
        let batch = [try b(1, target), try b(2, target), try b(1, target), try b(3, 99), try b(4, target)]
        var ordinals: [Int] = []
        #expect(throws: WriteError.invalidReference(type: "B", field: "a", ordinal: 99, target: "A")) {
            try writer.add(batch, ordinals: &ordinals)
        }
        #expect(ordinals == [0, 1, 0], "the records before the refused one, and only those")
        #expect(writer.contains(ordinal: 1, in: "B") && !writer.contains(ordinal: 2, in: "B"))
        var more: [Int] = []
        try writer.add([try b(4, target), try b(2, target)], ordinals: &more)
        #expect(more == [2, 1])
        try writer.add([], ordinals: &more)
        #expect(more == [2, 1])
    }

    @Test func roomReservedBeforeACycleChangesNoBlob() throws {
        let schema = try Schema(parsing: "type R key(id) { id: long  name: string }")
        func state(reserving: Bool) throws -> ReadState {
            let writer = WriteState(schema: schema)
            try writer.beginCycle()
            if reserving { try writer.reserveCapacity(records: 500, bytes: 10_000, for: "R") }
            for id in 0..<1_000 as Range<Int64> {
                var record = ObjectRecord(schema.object("R")!)
                try record.set("id", .long(id))
                try record.set("name", .string("name \(id % 300)"))
                try writer.add(record)
            }
            return try ReadState(snapshot: try #require(try writer.writeBlobs()).snapshot)
        }
        #expect(StateDump(try state(reserving: true)) == StateDump(try state(reserving: false)))
        let writer = WriteState(schema: schema)
        #expect(throws: WriteError.unknownType("Nope")) { try writer.reserveCapacity(records: 1, bytes: 1, for: "Nope") }
    }

    @Test func nothingChangedWritesNothing() throws {
        let catalog = try Catalog()
        for _ in 0..<2 {
            try catalog.state.beginCycle()
            _ = try catalog.person("Ann", born: 1)
            if let _ = try catalog.state.writeBlobs() { catalog.state.commit() } else { Issue.record("first cycle must write") ; return }
            try catalog.state.beginCycle()
            _ = try catalog.person("Ann", born: 1)
            #expect(try catalog.state.writeBlobs() == nil)
            return
        }
    }
}
