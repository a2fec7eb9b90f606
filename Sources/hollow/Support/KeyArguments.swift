import HollowCore
import HollowTools

/// Key values given on the command line, read as the types of the key's fields (`KeyText`), with
/// the tool's refusals.
enum KeyArguments {
    /// The value `text` spells for a field of `type`.
    static func value(_ text: String, for type: FieldType, field: String) throws -> FieldValue {
        if case .reference(let target) = type {
            throw ToolFailure(.usage, "\(field) is a reference to \(target); name a field of it (\(field).FIELD)")
        }
        guard let value = KeyText.value(text, of: type) else {
            throw ToolFailure(.usage, "'\(text)' is not a value of \(field), which is \(type)")
        }
        return value
    }

    /// The type of the field at the end of `path` from `type`.
    static func fieldType(_ path: String, from type: String, in schema: Schema) throws -> FieldType {
        do {
            return try KeyText.fieldType(path, from: type, in: schema)
        } catch {
            throw ToolFailure(.usage, "\(type) has no field path '\(path)': \(error)")
        }
    }

    /// `id=1`, `title="Heat"`: a key for messages.
    static func describe(_ fields: [String], _ values: [String]) -> String {
        zip(fields, values).map { "\($0)=\($1)" }.joined(separator: ", ")
    }
}
