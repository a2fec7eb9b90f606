/// The type of one field of an object type.
public enum FieldType: Hashable, Sendable, CustomStringConvertible {
    case int, long, float, double, bool, string, bytes
    /// An ordinal of another type of the schema, by name.
    case reference(String)

    public var description: String {
        switch self {
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .bool: "bool"
        case .string: "string"
        case .bytes: "bytes"
        case .reference(let type): type
        }
    }

    /// Fields whose values live in a pool, the record holding an end offset.
    var isVariableLength: Bool { self == .string || self == .bytes }

    /// The kind of value, without the referenced type's name: a plain value, copied for free.
    var kind: IndexedField.Kind {
        switch self {
        case .int: .int
        case .long: .long
        case .float: .float
        case .double: .double
        case .bool: .bool
        case .string: .string
        case .bytes: .bytes
        case .reference: .reference
        }
    }
}
