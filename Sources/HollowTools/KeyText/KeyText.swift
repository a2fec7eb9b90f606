import Foundation
import HollowCore

/// Key values typed by a person (a command line, a form), read as the types of the key's fields:
/// what `hollow get` and the explorer's lookup share.
public enum KeyText {
    /// The value `text` spells for a field of `type`; nil when it spells none (bytes in base64, a
    /// bool as true or false in any case; a reference has no text of its own).
    public static func value(_ text: String, of type: FieldType) -> FieldValue? {
        switch type {
        case .int: Int32(text).map { .int($0) }
        case .long: Int64(text).map { .long($0) }
        case .float: Float(text).map { .float($0) }
        case .double: Double(text).map { .double($0) }
        case .bool: Bool(text.lowercased()).map { .bool($0) }
        case .string: .string(text)
        case .bytes: Data(base64Encoded: text).map { .bytes(Array($0)) }
        case .reference: nil
        }
    }

    /// The text that spells `value` for `value(_:of:)`, bytes in base64; for links and forms. A
    /// reference gives its ordinal, which `value(_:of:)` does not read back (a key never holds one).
    public static func text(of value: FieldValue) -> String {
        switch value {
        case .int(let number): String(number)
        case .long(let number): String(number)
        case .float(let number): "\(number)"
        case .double(let number): "\(number)"
        case .bool(let flag): flag ? "true" : "false"
        case .string(let text): text
        case .bytes(let bytes): Data(bytes).base64EncodedString()
        case .reference(let ordinal): String(ordinal)
        }
    }

    /// The type of the field at the end of the key path `path` (`director.name`) from `type`.
    public static func fieldType(_ path: String, from type: String, in schema: Schema) throws(SchemaError) -> FieldType {
        let steps = try schema.resolve(path: path, from: type)
        let last = steps.last!
        return last.type.fields[last.fieldIndex].type
    }
}
