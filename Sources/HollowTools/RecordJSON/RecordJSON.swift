import Foundation
import HollowCore

/// Records of a read state as JSON text, fields in schema order, references followed: a nested
/// object, an array for a list or set, an object (or [key, value] pairs) for a map, and a record of
/// a one-field type as that field's value — the same shape `hollow produce` reads (the output of
/// `hollow get` can be fed back).
///
///     let json = RecordJSON(state: readState)
///     json.object("Movie", ordinal)   // {"id": 1, "title": "Heat", "director": {"name": "Mann"}, ...}
///
/// The text is stable: a set's elements and a map's entries are sorted by their JSON text. Strings
/// are escaped (quotes, backslashes, control characters); bytes are base64; floats that are not
/// finite are `null`; a null field is `null`.
public struct RecordJSON: Sendable {
    /// The state the records are read from.
    public let state: ReadState

    public init(state: ReadState) {
        self.state = state
    }

    /// The record `ordinal` of the object type `type` as a JSON object (`null` when the state has
    /// no such object type).
    public func object(_ type: String, _ ordinal: Int) -> String {
        var text = ""
        appendObject(type, ordinal, to: &text, allowShorthand: false)
        return text
    }

    /// One field of the record `ordinal` of the object type `type`, as JSON: `field` is a handle of
    /// that type in this state (`state.objectType(type)?.field(name)`); a type the state does not
    /// have is a programmer error.
    public func field(_ type: String, _ ordinal: Int, _ field: FieldHandle) -> String {
        guard let records = state.objectType(type) else { preconditionFailure("RecordJSON.field: no object type '\(type)' in this state") }
        var text = ""
        appendField(records, ordinal, field, to: &text)
        return text
    }

    private func appendObject(_ type: String, _ ordinal: Int, to text: inout String, allowShorthand: Bool) {
        guard let records = state.objectType(type) else { text += "null"; return }
        if allowShorthand, records.fields.count == 1, !isReference(records.fields[0].type) {
            appendField(records, ordinal, records.fields[0], to: &text)
            return
        }
        text += "{"
        for (position, field) in records.fields.enumerated() {
            if position > 0 { text += ", " }
            Self.appendString(field.name, to: &text)
            text += ": "
            appendField(records, ordinal, field, to: &text)
        }
        text += "}"
    }

    private func appendField(_ records: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle, to text: inout String) {
        if records.isNull(ordinal, field) { text += "null"; return }
        switch field.type {
        case .int: text += String(records.int(ordinal, field)!)
        case .long: text += String(records.long(ordinal, field)!)
        case .float: Self.appendNumber(Double(records.float(ordinal, field)!), to: &text)
        case .double: Self.appendNumber(records.double(ordinal, field)!, to: &text)
        case .bool: text += records.bool(ordinal, field)! ? "true" : "false"
        case .string: Self.appendString(records.string(ordinal, field)!, to: &text)
        case .bytes: Self.appendString(Data(records.bytes(ordinal, field)!).base64EncodedString(), to: &text)
        case .reference(let target): appendRecord(target, records.reference(ordinal, field)!, to: &text)
        }
    }

    private func appendRecord(_ type: String, _ ordinal: Int, to text: inout String) {
        switch state.schema[type] {
        case .object?:
            appendObject(type, ordinal, to: &text, allowShorthand: true)
        case .list(_, let element)?:
            appendArray(element, state.listType(type)!.elements(ordinal), to: &text)
        case .set(_, let element)?:
            // A set has no order: its elements are written sorted by their text, so output is stable.
            let elements = state.hashedType(type)!.elements(ordinal).map { ordinal -> String in
                var elementText = ""
                appendRecord(element, ordinal, to: &elementText)
                return elementText
            }
            text += "[" + elements.sorted().joined(separator: ", ") + "]"
        case .map(_, let key, let value)?:
            let entries = state.hashedType(type)!.entries(ordinal)
            let keys = entries.map { entry -> String in
                var keyText = ""
                appendRecord(key, entry.key, to: &keyText)
                return keyText
            }
            if keys.allSatisfy({ $0.hasPrefix("\"") }) {
                // Keys that are strings make a JSON object, in key order.
                let order = keys.indices.sorted { keys[$0] < keys[$1] }
                text += "{"
                for (position, index) in order.enumerated() {
                    if position > 0 { text += ", " }
                    text += keys[index] + ": "
                    appendRecord(value, entries[index].value, to: &text)
                }
                text += "}"
            } else {
                let order = keys.indices.sorted { keys[$0] < keys[$1] }
                text += "["
                for (position, index) in order.enumerated() {
                    if position > 0 { text += ", " }
                    text += "[" + keys[index] + ", "
                    appendRecord(value, entries[index].value, to: &text)
                    text += "]"
                }
                text += "]"
            }
        case nil:
            text += "null"
        }
    }

    private func appendArray(_ element: String, _ ordinals: [Int], to text: inout String) {
        text += "["
        for (position, ordinal) in ordinals.enumerated() {
            if position > 0 { text += ", " }
            appendRecord(element, ordinal, to: &text)
        }
        text += "]"
    }

    private func isReference(_ type: FieldType) -> Bool { if case .reference = type { true } else { false } }

    private static func appendNumber(_ value: Double, to text: inout String) {
        guard value.isFinite else { text += "null"; return }
        if value == value.rounded(), abs(value) < 1e15 { text += String(Int64(value)) } else { text += "\(value)" }
    }

    private static func appendString(_ string: String, to text: inout String) {
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
