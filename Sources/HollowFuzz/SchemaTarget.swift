import HollowCore

/// The schema text parser's target. An input is a schema text (bytes that are not UTF-8 read as
/// U+FFFD). What the parser promises, checked here:
///
/// - a refusal is a `SchemaError.syntax` whose line and column exist in the text;
/// - a schema it accepts is in dependency order (every type after the types it refers to), its
///   primary keys resolve, it prints (`description`) to a text that parses back to the same schema
///   and prints the same again, the same types given to `Schema(_:)` make the same schema, and a
///   snapshot of an empty state of it loads with the same schema (blobs carry their schema as
///   text).
enum SchemaTarget {
    static func run(_ data: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: data, as: UTF8.self)
        let schema: Schema
        do {
            schema = try Schema(parsing: text)
        } catch {
            checkRefusal(error, of: text)
            return "refused: \(error)"
        }
        checkOrder(schema)
        let printed = schema.description
        let reparsed: Schema
        do { reparsed = try Schema(parsing: printed) } catch { fatalError("the printed schema does not parse: \(error)\n\(printed)") }
        guard reparsed == schema else { fatalError("the printed schema parses to another schema:\n\(printed)\n--- parsed as\n\(reparsed.description)") }
        guard reparsed.description == printed else { fatalError("the printed schema prints differently:\n\(printed)\n--- then\n\(reparsed.description)") }
        do {
            guard try Schema(schema.types) == schema else { fatalError("Schema(types) differs from the parsed schema:\n\(printed)") }
        } catch {
            fatalError("Schema(types) refuses the types of a parsed schema: \(error)\n\(printed)")
        }
        checkBlobRoundTrip(schema)
        return "\(schema.types.count) types"
    }

    /// Lines and columns count from 1; the end of the text is one past its last line's last byte.
    private static func checkRefusal(_ error: SchemaError, of text: String) {
        guard case .syntax(let line, let column, _) = error else { fatalError("a refusal of the text without a position: \(error)") }
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count, column >= 1, column <= lines[line - 1].count + 1 else {
            fatalError("error outside the text (\(lines.count) lines): \(error)")
        }
    }

    private static func checkOrder(_ schema: Schema) {
        var seen = Set<String>()
        for type in schema.types {
            for target in type.referencedTypes where !seen.contains(target) {
                fatalError("\(type.name) refers to \(target), which does not come before it")
            }
            seen.insert(type.name)
            if case .object(let object) = type {
                for path in object.primaryKey ?? [] {
                    do { _ = try schema.resolve(path: path, from: object.name) } catch { fatalError("key path \(object.name).\(path) does not resolve: \(error)") }
                }
            }
        }
    }

    private static func checkBlobRoundTrip(_ schema: Schema) {
        let state = WriteState(schema: schema)
        do {
            try state.beginCycle()
            guard let blobs = try state.writeBlobs() else { fatalError("the first cycle wrote no blob") }
            let loaded = try ReadState(snapshot: blobs.snapshot)
            guard loaded.schema == schema else { fatalError("the snapshot's schema differs:\n\(schema.description)\n--- loaded as\n\(loaded.schema.description)") }
        } catch {
            fatalError("an empty state of a parsed schema cannot be written and loaded: \(error)\n\(schema.description)")
        }
    }
}
