import HollowCore

/// Why a Swift value could not be mapped to or from a schema, with the type and field concerned.
/// Type names are Swift type names while a schema is derived, and schema type names when values
/// are written or read.
public enum HollowCodableError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The mapping cannot represent this Swift type here (an enum with associated values, an
    /// unkeyed or nested container, a nested optional...).
    case unsupportedType(type: String, field: String?, reason: String)
    /// The type contains itself, directly or through other types: a schema may not have reference
    /// cycles. `path` is the chain of types and fields that leads back to it.
    case recursiveType(type: String, path: String)
    /// Discovering a schema needs a value of every non-optional field; this raw-value type has no
    /// case to offer (make it `CaseIterable`) and refuses the zero raw value.
    case noPlaceholderValue(type: String)
    /// Two different Swift types map to the same schema type name with different shapes (adopt
    /// `HollowTypeNamed` on one of them).
    case typeNameCollision(name: String, first: String, second: String)
    /// The derived schema is not valid (a primary key naming a missing field, a coding key that
    /// is not an identifier...).
    case invalidSchema(SchemaError)
    /// The schema of the state has no type for a Swift type, or one of another kind.
    case missingType(name: String, swiftType: String)
    /// The schema type has no field for a key of the Swift type.
    case missingField(type: String, field: String)
    /// The Swift value and the field's type do not match.
    case typeMismatch(type: String, field: String, expected: String, found: String)
    /// A number that does not fit where it goes (an `Int8` from an int 300, a `UInt32` from a
    /// negative long, an `Int` into an int field...).
    case valueOutOfRange(type: String, field: String, value: String, target: String)
    /// A stored value that is no value of the Swift type: not a raw value of the enum, a UUID of
    /// other than 16 bytes, a string that is not a URL.
    case invalidValue(type: String, field: String, value: String, target: String)
    /// A null field read into a Swift value that is not optional.
    case unexpectedNull(type: String, field: String)
    /// The ordinal holds no record of the type.
    case noRecord(type: String, ordinal: Int)
    /// The write state refused a record.
    case write(WriteError)
    /// The index could not be built.
    case index(IndexError)
    /// The type's own `encode(to:)` or `init(from:)` threw.
    case failed(type: String, field: String?, message: String)

    public var description: String {
        func at(_ type: String, _ field: String?) -> String { field.map { "\(type).\($0)" } ?? type }
        switch self {
        case .unsupportedType(let type, let field, let reason): return "\(at(type, field)): unsupported: \(reason)"
        case .recursiveType(let type, let path):
            return "\(type) contains itself (\(path)); a schema may not have reference cycles"
        case .noPlaceholderValue(let type):
            return "\(type) has a raw value but no placeholder case to discover the schema with: make it CaseIterable"
        case .typeNameCollision(let name, let first, let second):
            return "\(first) and \(second) both map to the schema type '\(name)' with different shapes: adopt HollowTypeNamed on one"
        case .invalidSchema(let error): return error.description
        case .missingType(let name, let swiftType): return "the schema has no suitable type '\(name)' for \(swiftType)"
        case .missingField(let type, let field): return "\(type) has no field '\(field)'"
        case .typeMismatch(let type, let field, let expected, let found): return "\(type).\(field) is \(expected), not \(found)"
        case .valueOutOfRange(let type, let field, let value, let target): return "\(type).\(field): \(value) does not fit in \(target)"
        case .invalidValue(let type, let field, let value, let target): return "\(type).\(field): \(value) is not a valid \(target)"
        case .unexpectedNull(let type, let field): return "\(type).\(field) is null but its Swift value is not optional"
        case .noRecord(let type, let ordinal): return "\(type) has no record at ordinal \(ordinal)"
        case .write(let error): return error.description
        case .index(let error): return error.description
        case .failed(let type, let field, let message): return "\(at(type, field)): \(message)"
        }
    }
}
