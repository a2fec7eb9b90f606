import Foundation
import HollowCore

/// Records of a read state as JSON text, fields in schema order, references followed: a nested
/// object, an array for a list or set, an object (or [key, value] pairs) for a map, and a record of
/// a one-field type as that field's value (unless it is null) — the same shape `hollow produce`
/// reads (the output of `hollow get` reads back as the same records).
///
///     let json = RecordJSON(state: readState)
///     json.object("Movie", ordinal)   // {"id": 1, "title": "Heat", "director": {"name": "Mann"}, ...}
///
/// The text is stable: a set's elements and a map's entries are sorted by the bytes of their JSON
/// text. Strings are escaped (quotes, backslashes, control characters); bytes are base64; -0 is
/// `-0`; floats that are not finite are `null`; a null field is `null`.
public struct RecordJSON: Sendable {
    /// The state the records are read from.
    public let state: ReadState

    public init(state: ReadState) {
        self.state = state
    }

    /// The record `ordinal` of the object type `type` as a JSON object (`null` when the state has
    /// no such object type).
    public func object(_ type: String, _ ordinal: Int) -> String {
        var writer = RecordJSONWriter(json: self)
        writer.writeObject(type, ordinal, allowShorthand: false)
        return writer.finish()
    }

    /// One field of the record `ordinal` of the object type `type`, as JSON: `field` is a handle of
    /// that type in this state (`state.objectType(type)?.field(name)`); a type the state does not
    /// have is a programmer error.
    public func field(_ type: String, _ ordinal: Int, _ field: FieldHandle) -> String {
        guard let records = state.objectType(type) else { preconditionFailure("RecordJSON.field: no object type '\(type)' in this state") }
        var writer = RecordJSONWriter(json: self)
        writer.writeField(records, ordinal, field)
        return writer.finish()
    }

    static func appendScalar(_ records: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle, to text: inout String) {
        switch field.type {
        case .int: text += String(records.int(ordinal, field)!)
        case .long: text += String(records.long(ordinal, field)!)
        case .float: appendNumber(Double(records.float(ordinal, field)!), to: &text)
        case .double: appendNumber(records.double(ordinal, field)!, to: &text)
        case .bool: text += records.bool(ordinal, field)! ? "true" : "false"
        case .string: appendString(records.string(ordinal, field)!, to: &text)
        case .bytes: appendString(Data(records.bytes(ordinal, field)!).base64EncodedString(), to: &text)
        case .reference: preconditionFailure("references are followed by the writer")
        }
    }

    static func appendNumber(_ value: Double, to text: inout String) {
        guard value.isFinite else { text += "null"; return }
        // -0 keeps its sign: the importer reads it back as -0, another value than 0.
        if value == 0, value.sign == .minus { text += "-0"; return }
        if value == value.rounded(), abs(value) < 1e15 { text += String(Int64(value)) } else { text += "\(value)" }
    }

    static func appendString(_ string: String, to text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case let control where control.value < 0x20: text += String(format: "\\u%04x", control.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
