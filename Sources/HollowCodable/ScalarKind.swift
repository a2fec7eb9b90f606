#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HollowCore

/// The Swift types that the Codable mapping stores in one field: the standard library's integers,
/// floats, `Bool` and `String`, and Foundation's `Data`, `Date`, `UUID` and `URL`.
///
/// | Swift | field | wrapper type (as an element, key or value) |
/// | --- | --- | --- |
/// | Int, Int64, UInt, UInt64, UInt32 | long (unsigned 64-bit by bit pattern) | Long |
/// | Int32, Int16, Int8, UInt16, UInt8 | int | Integer |
/// | Float / Double / Bool / String | float / double / bool / string | Float / Double / Boolean / String |
/// | Data | bytes | Bytes |
/// | Date | double: seconds since 2001-01-01 (`timeIntervalSinceReferenceDate`, exact) | Date |
/// | UUID | bytes: the 16 bytes of `uuid` | UUID |
/// | URL | string: `absoluteString` | URL |
enum ScalarKind: Sendable, CaseIterable {
    case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64
    case float, double, bool, string, data, date, uuid, url

    private static let byType: [ObjectIdentifier: ScalarKind] = [
        ObjectIdentifier(Int.self): .int, ObjectIdentifier(Int8.self): .int8, ObjectIdentifier(Int16.self): .int16,
        ObjectIdentifier(Int32.self): .int32, ObjectIdentifier(Int64.self): .int64, ObjectIdentifier(UInt.self): .uint,
        ObjectIdentifier(UInt8.self): .uint8, ObjectIdentifier(UInt16.self): .uint16, ObjectIdentifier(UInt32.self): .uint32,
        ObjectIdentifier(UInt64.self): .uint64, ObjectIdentifier(Float.self): .float, ObjectIdentifier(Double.self): .double,
        ObjectIdentifier(Bool.self): .bool, ObjectIdentifier(String.self): .string, ObjectIdentifier(Data.self): .data,
        ObjectIdentifier(Date.self): .date, ObjectIdentifier(UUID.self): .uuid, ObjectIdentifier(URL.self): .url,
    ]

    @inline(__always)
    init?(_ type: Any.Type) {
        guard let kind = ScalarKind.byType[ObjectIdentifier(type)] else { return nil }
        self = kind
    }

    var fieldType: FieldType {
        switch self {
        case .int8, .int16, .int32, .uint8, .uint16: .int
        case .int, .int64, .uint, .uint32, .uint64: .long
        case .float: .float
        case .double, .date: .double
        case .bool: .bool
        case .string, .url: .string
        case .data, .uuid: .bytes
        }
    }

    /// The object type (one field, `value`) that holds a value of this kind where a record is
    /// needed: an element of a list or set, a key or value of a map. Named as Hollow names them.
    var recordName: String {
        switch self {
        case .int8, .int16, .int32, .uint8, .uint16: "Integer"
        case .int, .int64, .uint, .uint32, .uint64: "Long"
        case .float: "Float"
        case .double: "Double"
        case .bool: "Boolean"
        case .string: "String"
        case .data: "Bytes"
        case .date: "Date"
        case .uuid: "UUID"
        case .url: "URL"
        }
    }

    /// A value to hand to `init(from:)` while a schema is discovered.
    var placeholder: Any {
        switch self {
        case .int: 0 as Int
        case .int8: 0 as Int8
        case .int16: 0 as Int16
        case .int32: 0 as Int32
        case .int64: 0 as Int64
        case .uint: 0 as UInt
        case .uint8: 0 as UInt8
        case .uint16: 0 as UInt16
        case .uint32: 0 as UInt32
        case .uint64: 0 as UInt64
        case .float: 0 as Float
        case .double: 0 as Double
        case .bool: false
        case .string: ""
        case .data: Data()
        case .date: Date(timeIntervalSinceReferenceDate: 0)
        case .uuid: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        case .url: URL(string: "about:blank")!
        }
    }

    /// The stored form of `value`, which is of this kind's Swift type.
    func scalar<T>(_ value: T) -> ScalarValue {
        switch self {
        case .int: .signed(Int64(value as! Int))
        case .int8: .signed(Int64(value as! Int8))
        case .int16: .signed(Int64(value as! Int16))
        case .int32: .signed(Int64(value as! Int32))
        case .int64: .signed(value as! Int64)
        case .uint: .unsigned(UInt64(value as! UInt))
        case .uint8: .unsigned(UInt64(value as! UInt8))
        case .uint16: .unsigned(UInt64(value as! UInt16))
        case .uint32: .unsigned(UInt64(value as! UInt32))
        case .uint64: .unsigned(value as! UInt64)
        case .float: .float(value as! Float)
        case .double: .double(value as! Double)
        case .bool: .bool(value as! Bool)
        case .string: .string(value as! String)
        case .data: .bytes([UInt8](value as! Data))
        case .date: .double((value as! Date).timeIntervalSinceReferenceDate)
        case .uuid: .bytes(withUnsafeBytes(of: (value as! UUID).uuid) { Array($0) })
        case .url: .string((value as! URL).absoluteString)
        }
    }

    /// Reads a field that is not null as a value of this kind's Swift type.
    func read(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) throws(HollowCodableError) -> Any {
        switch self {
        case .int: return try ScalarRead.integer(Int.self, reader, ordinal, field)
        case .int8: return try ScalarRead.integer(Int8.self, reader, ordinal, field)
        case .int16: return try ScalarRead.integer(Int16.self, reader, ordinal, field)
        case .int32: return try ScalarRead.integer(Int32.self, reader, ordinal, field)
        case .int64: return try ScalarRead.integer(Int64.self, reader, ordinal, field)
        case .uint: return try ScalarRead.integer(UInt.self, reader, ordinal, field)
        case .uint8: return try ScalarRead.integer(UInt8.self, reader, ordinal, field)
        case .uint16: return try ScalarRead.integer(UInt16.self, reader, ordinal, field)
        case .uint32: return try ScalarRead.integer(UInt32.self, reader, ordinal, field)
        case .uint64: return try ScalarRead.integer(UInt64.self, reader, ordinal, field)
        case .float: return try ScalarRead.float(reader, ordinal, field)
        case .double: return try ScalarRead.double(reader, ordinal, field)
        case .bool: return try ScalarRead.bool(reader, ordinal, field)
        case .string: return try ScalarRead.string(reader, ordinal, field)
        case .data: return try ScalarRead.data(reader, ordinal, field)
        case .date: return Date(timeIntervalSinceReferenceDate: try ScalarRead.double(reader, ordinal, field, as: Date.self))
        case .uuid:
            let bytes = try ScalarRead.bytes(UUID.self, reader, ordinal, field)
            guard bytes.count == 16 else {
                throw .invalidValue(type: reader.name, field: field.name, value: "\(bytes.count) bytes", target: "UUID")
            }
            return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        case .url:
            let text = try ScalarRead.string(reader, ordinal, field, as: URL.self)
            guard let url = URL(string: text) else {
                throw .invalidValue(type: reader.name, field: field.name, value: "\"\(text)\"", target: "URL")
            }
            return url
        }
    }
}

/// The stored form of a scalar before it meets the field it goes to.
enum ScalarValue {
    case signed(Int64)
    case unsigned(UInt64)
    case float(Float)
    case double(Double)
    case bool(Bool)
    case string(String)
    case bytes([UInt8])

    /// The value for `field` of `type`: integers go to int or long fields (unsigned 64-bit values
    /// to long by bit pattern) when they fit, a Float also to a double field; `swiftType` names
    /// the value's type in errors.
    func fieldValue(for field: FieldSchema, in type: String, swiftType: Any.Type) throws(HollowCodableError) -> FieldValue {
        switch (self, field.type) {
        case (.signed(let value), .long): return .long(value)
        case (.signed(let value), .int):
            guard let narrow = Int32(exactly: value) else {
                throw .valueOutOfRange(type: type, field: field.name, value: "\(value)", target: "int")
            }
            return .int(narrow)
        case (.unsigned(let value), .long): return .long(Int64(bitPattern: value))
        case (.unsigned(let value), .int):
            guard let narrow = Int32(exactly: value) else {
                throw .valueOutOfRange(type: type, field: field.name, value: "\(value)", target: "int")
            }
            return .int(narrow)
        case (.float(let value), .float): return .float(value)
        case (.float(let value), .double): return .double(Double(value))
        case (.double(let value), .double): return .double(value)
        case (.bool(let value), .bool): return .bool(value)
        case (.string(let value), .string): return .string(value)
        case (.bytes(let value), .bytes): return .bytes(value)
        default:
            throw .typeMismatch(type: type, field: field.name, expected: field.type.description, found: "\(swiftType)")
        }
    }
}

/// Reads of fields that are not null into Swift scalars, checking the field's type and range.
enum ScalarRead {
    @inline(__always)
    static func integer<I: FixedWidthInteger>(_: I.Type, _ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) throws(HollowCodableError) -> I {
        switch field.type {
        case .int:
            guard let value = reader.int(ordinal, field) else { throw .unexpectedNull(type: reader.name, field: field.name) }
            guard let result = I(exactly: value) else {
                throw .valueOutOfRange(type: reader.name, field: field.name, value: "\(value)", target: "\(I.self)")
            }
            return result
        case .long:
            guard let value = reader.long(ordinal, field) else { throw .unexpectedNull(type: reader.name, field: field.name) }
            if !I.isSigned && I.bitWidth == 64 { return I(truncatingIfNeeded: UInt64(bitPattern: value)) }
            guard let result = I(exactly: value) else {
                throw .valueOutOfRange(type: reader.name, field: field.name, value: "\(value)", target: "\(I.self)")
            }
            return result
        default:
            throw .typeMismatch(type: reader.name, field: field.name, expected: field.type.description, found: "\(I.self)")
        }
    }

    static func float(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) throws(HollowCodableError) -> Float {
        guard field.type == .float else {
            throw .typeMismatch(type: reader.name, field: field.name, expected: field.type.description, found: "Float")
        }
        guard let value = reader.float(ordinal, field) else { throw .unexpectedNull(type: reader.name, field: field.name) }
        return value
    }

    static func double(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle, as swiftType: Any.Type = Double.self) throws(HollowCodableError) -> Double {
        let value: Double?
        switch field.type {
        case .double: value = reader.double(ordinal, field)
        case .float: value = reader.float(ordinal, field).map(Double.init)
        default: throw .typeMismatch(type: reader.name, field: field.name, expected: field.type.description, found: "\(swiftType)")
        }
        guard let value else { throw .unexpectedNull(type: reader.name, field: field.name) }
        return value
    }

    static func bool(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) throws(HollowCodableError) -> Bool {
        guard field.type == .bool else {
            throw .typeMismatch(type: reader.name, field: field.name, expected: field.type.description, found: "Bool")
        }
        guard let value = reader.bool(ordinal, field) else { throw .unexpectedNull(type: reader.name, field: field.name) }
        return value
    }

    static func string(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle, as swiftType: Any.Type = String.self) throws(HollowCodableError) -> String {
        guard field.type == .string else {
            throw .typeMismatch(type: reader.name, field: field.name, expected: field.type.description, found: "\(swiftType)")
        }
        guard let value = reader.string(ordinal, field) else { throw .unexpectedNull(type: reader.name, field: field.name) }
        return value
    }

    static func data(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) throws(HollowCodableError) -> Data {
        guard field.type == .bytes else {
            throw .typeMismatch(type: reader.name, field: field.name, expected: field.type.description, found: "Data")
        }
        guard let value = reader.withBytes(ordinal, field, { Data($0) }) else { throw .unexpectedNull(type: reader.name, field: field.name) }
        return value
    }

    static func bytes(_ swiftType: Any.Type, _ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) throws(HollowCodableError) -> [UInt8] {
        guard field.type == .bytes else {
            throw .typeMismatch(type: reader.name, field: field.name, expected: field.type.description, found: "\(swiftType)")
        }
        guard let value = reader.bytes(ordinal, field) else { throw .unexpectedNull(type: reader.name, field: field.name) }
        return value
    }
}
