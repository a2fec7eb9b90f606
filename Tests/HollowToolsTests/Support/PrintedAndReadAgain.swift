import HollowCore
import HollowImport
import HollowTools

/// What the import fuzzer checks of `RecordJSON` (Sources/HollowFuzz/ImportTarget.swift): records
/// imported from `source`, printed as JSON, imported again as JSON Lines and printed again. The
/// records are of the schema's last object type; the lines come back sorted.
func printedAndReadAgain(schema text: String, source: String, format: SourceFormat = .jsonLines) throws -> (printed: [String], again: [String]) {
    let schema = try Schema(parsing: text)
    guard case .object(let object)? = schema.types.last(where: { if case .object = $0 { true } else { false } }) else { return ([], []) }
    let printed = try printedLines(of: importing(source, format: format, type: object.name, schema: schema), type: object.name)
    let again = try printedLines(of: importing(printed.joined(separator: "\n"), format: .jsonLines, type: object.name, schema: schema), type: object.name)
    return (printed, again)
}

private func importing(_ text: String, format: SourceFormat, type: String, schema: Schema) throws -> ReadState {
    let state = WriteState(schema: schema)
    try state.beginCycle()
    var importer = RecordImporter(schema: schema)
    _ = try Array(text.utf8).withUnsafeBytes { try importer.importRecords(from: $0, format: format, type: type, file: "input", into: state) }
    guard let blobs = try state.writeBlobs() else { return ReadState(empty: schema) }
    return try ReadState(snapshot: blobs.snapshot)
}

private func printedLines(of state: ReadState, type: String) -> [String] {
    let json = RecordJSON(state: state)
    return state.objectType(type).map { records in records.ordinals.map { json.object(type, $0) }.sorted() } ?? []
}
