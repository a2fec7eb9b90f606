import HollowCore

/// The catalog as a Hollow dataset: its schema, and the blobs of two cycles (the generated catalog,
/// then its 1% change).
public enum HollowCatalog {
    public static let schemaText = """
        type Person key(name) {
            name: string
            born: int?
        }
        type Genre key(name) { name: string }
        set GenreSet of Genre
        list CastList of Person
        type Movie key(id) {
            id: long
            title: string
            year: int
            rating: double?
            genres: GenreSet
            cast: CastList
            director: Person?
        }
        """

    public static func schema() throws -> Schema { try Schema(parsing: schemaText) }

    /// Adds every record of `catalog` to the cycle under way.
    public static func populate(_ state: WriteState, with catalog: Catalog) throws {
        let schema = state.schema
        let personSchema = schema.object("Person")!
        let genreSchema = schema.object("Genre")!
        let movieSchema = schema.object("Movie")!
        var personOrdinals: [Int] = []
        personOrdinals.reserveCapacity(catalog.people.count)
        for person in catalog.people {
            var record = ObjectRecord(personSchema)
            try record.set(fieldAt: 0, .string(person.name))
            try record.set(fieldAt: 1, person.born.map { .int($0) })
            personOrdinals.append(try state.add(record))
        }
        let genreOrdinals = try catalog.genres.map { name in
            var record = ObjectRecord(genreSchema)
            try record.set(fieldAt: 0, .string(name))
            return try state.add(record)
        }
        let id = movieSchema.fieldIndex("id")!, title = movieSchema.fieldIndex("title")!
        let year = movieSchema.fieldIndex("year")!, rating = movieSchema.fieldIndex("rating")!
        let genres = movieSchema.fieldIndex("genres")!, cast = movieSchema.fieldIndex("cast")!
        let director = movieSchema.fieldIndex("director")!
        for movie in catalog.movies {
            var record = ObjectRecord(movieSchema)
            try record.set(fieldAt: id, .long(movie.id))
            try record.set(fieldAt: title, .string(movie.title))
            try record.set(fieldAt: year, .int(movie.year))
            try record.set(fieldAt: rating, movie.rating.map { .double($0) })
            try record.set(fieldAt: genres, .reference(try state.add(set: movie.genres.map { genreOrdinals[$0] }, to: "GenreSet")))
            try record.set(fieldAt: cast, .reference(try state.add(list: movie.cast.map { personOrdinals[$0] }, to: "CastList")))
            try record.set(fieldAt: director, movie.director.map { .reference(personOrdinals[$0]) })
            try state.add(record)
        }
    }

    /// The blobs of two cycles: `first` as a snapshot, then `second` as a snapshot, a delta from
    /// the first and a reverse delta back to it.
    public static func writeCycles(_ first: Catalog, _ second: Catalog) throws -> CatalogBlobs {
        let state = WriteState(schema: try schema())
        try state.beginCycle()
        try populate(state, with: first)
        guard let cycle1 = try state.writeBlobs() else { throw FixtureError("the first cycle wrote nothing") }
        state.commit()
        try state.beginCycle()
        try populate(state, with: second)
        guard let cycle2 = try state.writeBlobs(), let delta = cycle2.delta, let reverse = cycle2.reverseDelta else {
            throw FixtureError("the second cycle wrote no delta")
        }
        state.commit()
        return CatalogBlobs(snapshot1: cycle1.snapshot, delta: delta, reverseDelta: reverse, snapshot2: cycle2.snapshot)
    }
}

/// The blobs the benchmarks load.
public struct CatalogBlobs: Sendable {
    public var snapshot1: [UInt8]
    public var delta: [UInt8]
    public var reverseDelta: [UInt8]
    public var snapshot2: [UInt8]

    public init(snapshot1: [UInt8], delta: [UInt8], reverseDelta: [UInt8], snapshot2: [UInt8]) {
        self.snapshot1 = snapshot1
        self.delta = delta
        self.reverseDelta = reverseDelta
        self.snapshot2 = snapshot2
    }

    static let names = ["snapshot1", "delta", "reverse-delta", "snapshot2"]
    var all: [[UInt8]] { [snapshot1, delta, reverseDelta, snapshot2] }
}

public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The content size an LZ4 frame declares in its header (the uncompressed size of a blob), or nil
/// when the header does not carry one.
public func lz4ContentSize(_ frame: [UInt8]) -> Int? {
    // Magic 0x184D2204 (little-endian), then FLG, BD, and the 8-byte content size when FLG bit 3 is set.
    guard frame.count >= 14, frame[0] == 0x04, frame[1] == 0x22, frame[2] == 0x4D, frame[3] == 0x18 else { return nil }
    let flags = frame[4]
    guard flags & 0x08 != 0 else { return nil }
    var size: UInt64 = 0
    for index in 0..<8 { size |= UInt64(frame[6 + index]) << (8 * UInt64(index)) }
    return Int(size)
}
