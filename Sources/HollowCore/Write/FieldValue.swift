/// A value of one field of an object record.
public enum FieldValue: Hashable, Sendable {
    case int(Int32)
    case long(Int64)
    case float(Float)
    case double(Double)
    case bool(Bool)
    case string(String)
    case bytes([UInt8])
    /// An ordinal returned by `WriteState.add` for the referenced type, in the same cycle.
    case reference(Int)

    func matches(_ type: FieldType) -> Bool {
        switch (self, type) {
        case (.int, .int), (.long, .long), (.float, .float), (.double, .double), (.bool, .bool),
             (.string, .string), (.bytes, .bytes), (.reference, .reference): true
        default: false
        }
    }

    var kindName: String {
        switch self {
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .bool: "bool"
        case .string: "string"
        case .bytes: "bytes"
        case .reference: "reference"
        }
    }
}
