import Foundation
import HollowCore

/// Key values given on the command line, read as the types of the key's fields.
enum KeyText {
    /// The value `text` spells for a field of `type`.
    static func value(_ text: String, for type: FieldType, field: String) throws -> FieldValue {
        let value: FieldValue?
        switch type {
        case .int: value = Int32(text).map { .int($0) }
        case .long: value = Int64(text).map { .long($0) }
        case .float: value = Float(text).map { .float($0) }
        case .double: value = Double(text).map { .double($0) }
        case .bool: value = Bool(text.lowercased()).map { .bool($0) }
        case .string: value = .string(text)
        case .bytes: value = Data(base64Encoded: text).map { .bytes(Array($0)) }
        case .reference(let target):
            throw ToolFailure(.usage, "\(field) is a reference to \(target); name a field of it (\(field).FIELD)")
        }
        guard let value else { throw ToolFailure(.usage, "'\(text)' is not a value of \(field), which is \(type)") }
        return value
    }

    /// The type of the field at the end of `path` from `type`.
    static func fieldType(_ path: String, from type: String, in schema: Schema) throws -> FieldType {
        do {
            let steps = try schema.resolve(path: path, from: type)
            let last = steps.last!
            return last.type.fields[last.fieldIndex].type
        } catch {
            throw ToolFailure(.usage, "\(type) has no field path '\(path)': \(error)")
        }
    }

    /// `id=1`, `title="Heat"`: a key for messages.
    static func describe(_ fields: [String], _ values: [String]) -> String {
        zip(fields, values).map { "\($0)=\($1)" }.joined(separator: ", ")
    }
}
