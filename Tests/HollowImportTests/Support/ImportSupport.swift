import Foundation
import HollowCore
import HollowImport
import PropertyBased
import Testing

/// The schema of the importer tests: every field type, a nested record, a one-field type, a list,
/// a set and a map.
let importSchema = try! Schema(parsing: """
    type Country { code: string }
    type Person key(name) { name: string  born: int?  country: Country? }
    type Genre { name: string }
    set Genres of Genre
    list Cast of Person
    type Source { name: string }
    type Score { stars: double }
    map Ratings of Source to Score
    type Item key(id) {
        id: long
        title: string
        count: int
        weight: float?
        price: double?
        active: bool
        blob: bytes?
        maker: Person?
        cast: Cast?
        genres: Genres?
        ratings: Ratings?
    }
    type Row key(id) { id: int  name: string  note: string?  score: double?  flag: bool?  country: Country? }
    """)

/// Imports `text` as records of `type` into a new state and reads the state back from its snapshot.
func importing(_ text: String, format: SourceFormat, type: String, schema: Schema = importSchema, file: String = "input",
               sourceNames: [String: [String: String]] = [:]) throws -> ReadState {
    let state = WriteState(schema: schema)
    try state.beginCycle()
    var importer = try RecordImporter(schema: schema, sourceNames: sourceNames)
    var bytes = Array(text.utf8)
    _ = try bytes.withUnsafeMutableBytes { raw in
        try importer.importRecords(from: UnsafeRawBufferPointer(raw), format: format, type: type, file: file, into: state)
    }
    guard let blobs = try state.writeBlobs() else { return ReadState(empty: schema) }
    return try ReadState(snapshot: blobs.snapshot)
}

/// The import error `text` gives.
func importError(_ text: String, format: SourceFormat = .jsonLines, type: String = "Item", schema: Schema = importSchema,
                 sourceNames: [String: [String: String]] = [:]) -> ImportError? {
    do {
        _ = try importing(text, format: format, type: type, schema: schema, sourceNames: sourceNames)
        return nil
    } catch let error as ImportError {
        return error
    } catch {
        Issue.record("not an ImportError: \(error)")
        return nil
    }
}

/// A record of `type` by primary key, as the fields' values (references as nested values).
func lookup(_ state: ReadState, _ type: String, _ key: FieldValue) throws -> Int? {
    try PrimaryKeyIndex(state, type: type).ordinal(matching: [key])
}

/// A deterministic generator for the property tests, from one seed.
func seededGenerator(_ seed: UInt64) -> Xoshiro {
    Xoshiro(seed: (seed, seed ^ 0x9E37_79B9_7F4A_7C15, 0xD1B5_4A32_D192_ED03, 1))
}
