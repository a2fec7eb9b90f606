import HollowCore

/// A schema with every field kind: scalars, a nested record, a one-field type, a list, a set, and
/// maps with string and with record keys.
let toolsSchemaText = """
    type Country { code: string }
    type Person key(name) { name: string  country: Country? }
    type Genre { name: string }
    set Genres of Genre
    list Cast of Person
    type Score { stars: double }
    map Ratings of Country to Score
    type Award { year: int  title: string }
    map Awards of Award to Score
    type Movie key(id) {
        id: long
        title: string
        year: int
        weight: float?
        rating: double?
        seen: bool
        poster: bytes?
        director: Person?
        cast: Cast?
        genres: Genres?
        ratings: Ratings?
        awards: Awards?
    }
    """

/// Builds one state in memory: records are added through a `WriteState`, and the state is read
/// back from its snapshot blob, as a consumer would see it.
struct StateBuilder {
    let schema: Schema
    let state: WriteState

    init(schema text: String = toolsSchemaText) throws {
        schema = try Schema(parsing: text)
        state = WriteState(schema: schema)
        try state.beginCycle()
    }

    /// Adds a record of `type` with the given field values.
    @discardableResult
    func add(_ type: String, _ fields: [String: FieldValue?]) throws -> Int {
        var record = ObjectRecord(schema.object(type)!)
        for (name, value) in fields { try record.set(name, value) }
        return try state.add(record)
    }

    func person(_ name: String, country: String? = nil) throws -> Int {
        let country = try country.map { try add("Country", ["code": .string($0)]) }
        return try add("Person", ["name": .string(name), "country": country.map { .reference($0) }])
    }

    @discardableResult
    func movie(_ id: Int64, _ title: String, year: Int32 = 2000, director: Int? = nil, extra: [String: FieldValue?] = [:]) throws -> Int {
        var fields: [String: FieldValue?] = ["id": .long(id), "title": .string(title), "year": .int(year), "seen": .bool(false),
                                             "director": director.map { .reference($0) }]
        fields.merge(extra) { $1 }
        return try add("Movie", fields)
    }

    func readState() throws -> ReadState {
        guard let blobs = try state.writeBlobs() else { return ReadState(empty: schema) }
        return try ReadState(snapshot: blobs.snapshot)
    }
}
