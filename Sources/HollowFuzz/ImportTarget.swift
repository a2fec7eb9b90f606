import HollowCore
import HollowImport
import HollowTools

/// The importer's target (JSON Lines, CSV, TSV). An input is a source file, read with the format's
/// default schema, or `SCHEMA NUL SOURCE`: a schema text, a zero byte, then the source (an input
/// whose schema does not parse is skipped). The records are imported as the schema's last object
/// type. What the importer promises, checked here:
///
/// - a refusal is an `ImportError` that points into the source (its line and column exist), and a
///   record the write state refused is refused for a reason of the data (a map key given twice, a
///   primary key given twice), never for a value of the wrong kind;
/// - records it accepted satisfy the schema: they are written to a snapshot that loads, every
///   reference leads to a record, and there are no more records of the type than lines read;
/// - they are what `hollow get` prints: each record written as JSON (`RecordJSON`) and imported
///   again as JSON Lines, in the next cycle of the same write state, gives the very same records
///   (the cycle writes no blob: nothing changed).
enum ImportTarget {
    static func run(_ data: UnsafeRawBufferPointer, format: SourceFormat) -> String {
        let schema: Schema
        let source: UnsafeRawBufferPointer
        if let separator = data.firstIndex(of: 0) {
            guard let parsed = try? Schema(parsing: String(decoding: data[..<separator], as: UTF8.self)) else { return "schema refused" }
            schema = parsed
            source = UnsafeRawBufferPointer(rebasing: data[(separator + 1)...])
        } else {
            schema = format == .jsonLines ? jsonLinesSchema : delimitedSchema
            source = data
        }
        guard case .object(let object)? = schema.types.last(where: { if case .object = $0 { true } else { false } }) else {
            return "no object type"
        }
        let type = object.name
        let state = WriteState(schema: schema)
        do { try state.beginCycle() } catch { fatalError("a new write state refused a cycle: \(error)") }
        var importer = RecordImporter(schema: schema)
        let count: Int
        do {
            count = try importer.importRecords(from: source, format: format, type: type, file: "input", into: state)
        } catch {
            checkRefusal(error, of: source)
            return "refused: \(error)"
        }
        guard let loaded = writeAndLoad(state, schema: schema, allowing: [.duplicatePrimaryKey]) else { return "refused when written" }
        guard loaded.recordCount(type) <= count, count == 0 || loaded.recordCount(type) >= 1 else {
            fatalError("\(count) records read, \(loaded.recordCount(type)) in the state")
        }
        _ = StateWalk.walk(loaded)
        state.commit()
        checkJSONRoundTrip(loaded, type: type, into: state)
        return "\(count) records read, \(loaded.recordCount(type)) distinct"
    }

    /// The default schema of JSON Lines inputs: every field type, nested records, one-field types,
    /// a list, a set, a map with one-field keys and one with two-field keys.
    static let jsonLinesSchema = try! Schema(parsing: """
        type Country { code: string }
        type Person key(name) { name: string  born: int?  country: Country? }
        type Genre { name: string }
        set Genres of Genre
        list Cast of Person
        type Source { name: string }
        type Score { stars: double }
        map Ratings of Source to Score
        type Award { year: int  title: string }
        map Awards of Award to Score
        type Item key(id) {
            id: long  title: string  count: int  weight: float?  price: double?  active: bool  blob: bytes?
            maker: Person?  cast: Cast?  genres: Genres?  ratings: Ratings?  awards: Awards?
        }
        """)

    /// The default schema of CSV and TSV inputs: every scalar type and a one-field reference.
    static let delimitedSchema = try! Schema(parsing: """
        type Country { code: string }
        type Row key(id) {
            id: int  name: string  note: string?  score: double?  weight: float?  big: long?  flag: bool?  data: bytes?  country: Country?
        }
        """)

    /// A refusal must point into the source and must not be the write state's refusal of a value
    /// the importer should have checked (or made right) itself.
    private static func checkRefusal(_ error: ImportError, of source: UnsafeRawBufferPointer) {
        guard error.file == "input" else { fatalError("error names the file '\(error.file)': \(error)") }
        let lineBreaks = source.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") || $1 == UInt8(ascii: "\r") ? 1 : 0) }
        guard error.line >= 0, error.line <= lineBreaks + 1, error.column >= 0, error.column <= source.count + 1,
              error.line > 0 || error.column == 0
        else { fatalError("error outside the source (\(lineBreaks + 1) lines, \(source.count) bytes): \(error)") }
        if case .refused(let refusal) = error.problem {
            switch refusal {
            case .duplicateMapKey, .duplicatePrimaryKey, .tooManyRecords: break
            default: fatalError("the write state refused what the importer gave it: \(error)")
            }
        }
        if case .unknownType = error.problem { fatalError("the target type was refused: \(error)") }
    }

    /// Writes the cycle's blobs and loads its snapshot: a write error other than `allowed` or a
    /// snapshot that does not load is a finding. Nil when the write was refused as allowed.
    static func writeAndLoad(_ state: WriteState, schema: Schema, allowing allowed: Set<WriteErrorKind>) -> ReadState? {
        let blobs: CycleBlobs?
        do {
            blobs = try state.writeBlobs()
        } catch {
            guard allowed.contains(WriteErrorKind(error)) else { fatalError("accepted records were refused when written: \(error)") }
            return nil
        }
        guard let blobs else { return ReadState(empty: schema) }
        do {
            return try ReadState(snapshot: blobs.snapshot)
        } catch {
            fatalError("the snapshot of accepted records does not load: \(error)")
        }
    }

    /// Every record of `type` as JSON, imported again as JSON Lines in the next cycle of `state`
    /// (which committed `loaded`), gives the same records: the cycle has nothing to write. Floats
    /// that are not finite print as `null` (docs/CLI.md), so states holding one are left out.
    private static func checkJSONRoundTrip(_ loaded: ReadState, type: String, into state: WriteState) {
        guard !holdsNonFiniteFloats(loaded) else { return }
        let lines = printed(loaded, type: type)
        let text = lines.joined(separator: "\n")
        do { try state.beginCycle() } catch { fatalError("a second cycle was refused: \(error)") }
        var importer = RecordImporter(schema: loaded.schema)
        do {
            _ = try Array(text.utf8).withUnsafeBytes { bytes throws(ImportError) in
                try importer.importRecords(from: bytes, format: .jsonLines, type: type, file: "printed", into: state)
            }
        } catch {
            fatalError("records printed as JSON are refused when read again: \(error)\n\(text)")
        }
        let blobs: CycleBlobs?
        do { blobs = try state.writeBlobs() } catch { fatalError("records printed as JSON are refused when written again: \(error)\n\(text)") }
        guard let blobs else { return }
        let again = (try? ReadState(snapshot: blobs.snapshot)).map { printed($0, type: type) } ?? ["(the new snapshot does not load)"]
        fatalError("records printed as JSON read back as other records:\n\(text)\n--- read back and printed again\n\(again.joined(separator: "\n"))")
    }

    /// The records of `type` as JSON, one a line, sorted.
    private static func printed(_ state: ReadState, type: String) -> [String] {
        let json = RecordJSON(state: state)
        return state.objectType(type).map { records in records.ordinals.map { json.object(type, $0) }.sorted() } ?? []
    }

    private static func holdsNonFiniteFloats(_ state: ReadState) -> Bool {
        for case .object(let object) in state.schema.types {
            guard let records = state.objectType(object.name) else { continue }
            for field in records.fields {
                for ordinal in records.ordinals {
                    switch field.type {
                    case .float: if let value = records.float(ordinal, field), !value.isFinite { return true }
                    case .double: if let value = records.double(ordinal, field), !value.isFinite { return true }
                    default: break
                    }
                }
            }
        }
        return false
    }
}

/// A `WriteError`'s case, without its payload.
enum WriteErrorKind: Hashable {
    case duplicatePrimaryKey, other

    init(_ error: WriteError) {
        if case .duplicatePrimaryKey = error { self = .duplicatePrimaryKey } else { self = .other }
    }
}
