import HollowCore

/// The `Decoder` a Codable type decodes itself from: a record (its keyed container reads the
/// fields by coding key; a single value container reads the wrapper type's `value` field), or a
/// field (a single value container reads the field itself; a keyed container follows the
/// reference to the record it points to).
///
/// `contains` is true for the fields the schema has, `decodeNil` is true for a field that is null
/// or that the schema does not have, so that `decodeIfPresent` gives nil for a field added to the
/// Swift type after the data was written.
struct RecordDecoder: Decoder {
    enum Position {
        case record(ObjectTable, Int)
        case field(ObjectTable, FieldHandle, Int)
    }

    let context: DecodingContext
    let position: Position
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch position {
        case .record(let table, let ordinal):
            return KeyedDecodingContainer(KeyedContainer(context: context, table: table, ordinal: ordinal, codingPath: codingPath))
        case .field(let table, let field, let ordinal):
            let (target, reference) = try context.follow(table, field, ordinal, Key.self)
            let targetTable = try context.record(target, reference, for: Key.self)
            return KeyedDecodingContainer(KeyedContainer(context: context, table: targetTable, ordinal: reference, codingPath: codingPath))
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let type: String
        switch position {
        case .record(let table, _), .field(let table, _, _): type = table.reader.name
        }
        throw HollowCodableError.unsupportedType(type: type, field: nil, reason: "a type that decodes an unkeyed container")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        switch position {
        case .record(let table, let ordinal):
            guard let field = table.fields["value"] else { throw HollowCodableError.missingField(type: table.reader.name, field: "value") }
            return SingleContainer(context: context, table: table, field: field, ordinal: ordinal, codingPath: codingPath)
        case .field(let table, let field, let ordinal):
            return SingleContainer(context: context, table: table, field: field, ordinal: ordinal, codingPath: codingPath)
        }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let context: DecodingContext
        let table: ObjectTable
        let ordinal: Int
        let codingPath: [any CodingKey]

        var allKeys: [Key] { table.reader.schema.fields.compactMap { Key(stringValue: $0.name) } }

        func contains(_ key: Key) -> Bool { table.fields[key.stringValue] != nil }

        @inline(__always)
        private func field(_ key: Key) throws(HollowCodableError) -> FieldHandle {
            guard let field = table.fields[key.stringValue] else {
                throw .missingField(type: table.reader.name, field: key.stringValue)
            }
            return field
        }

        /// The field of `key` when it is present and not null.
        @inline(__always)
        private func present(_ key: Key) -> FieldHandle? {
            guard let field = table.fields[key.stringValue], !table.reader.isNull(ordinal, field) else { return nil }
            return field
        }

        func decodeNil(forKey key: Key) throws -> Bool { present(key) == nil }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try context.decodeField(type, table, field(key), ordinal)
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let field = present(key) else { return nil }
            return try context.decodeField(type, table, field, ordinal)
        }

        private var reader: ObjectTypeReadState { table.reader }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try ScalarRead.bool(reader, ordinal, field(key)) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try ScalarRead.string(reader, ordinal, field(key)) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try ScalarRead.double(reader, ordinal, field(key)) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try ScalarRead.float(reader, ordinal, field(key)) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try ScalarRead.integer(type, reader, ordinal, field(key)) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try ScalarRead.integer(type, reader, ordinal, field(key)) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try ScalarRead.integer(type, reader, ordinal, field(key)) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try ScalarRead.integer(type, reader, ordinal, field(key)) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try ScalarRead.integer(type, reader, ordinal, field(key)) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try ScalarRead.integer(type, reader, ordinal, field(key)) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try ScalarRead.integer(type, reader, ordinal, field(key)) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try ScalarRead.integer(type, reader, ordinal, field(key)) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try ScalarRead.integer(type, reader, ordinal, field(key)) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try ScalarRead.integer(type, reader, ordinal, field(key)) }

        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
            guard let field = present(key) else { return nil }
            return try ScalarRead.bool(reader, ordinal, field)
        }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
            guard let field = present(key) else { return nil }
            return try ScalarRead.string(reader, ordinal, field)
        }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
            guard let field = present(key) else { return nil }
            return try ScalarRead.double(reader, ordinal, field)
        }
        func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
            guard let field = present(key) else { return nil }
            return try ScalarRead.float(reader, ordinal, field)
        }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try integer(type, key) }
        func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try integer(type, key) }
        func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try integer(type, key) }
        func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try integer(type, key) }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try integer(type, key) }
        func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try integer(type, key) }
        func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try integer(type, key) }
        func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try integer(type, key) }
        func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try integer(type, key) }
        func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try integer(type, key) }

        private func integer<I: FixedWidthInteger>(_ type: I.Type, _ key: Key) throws(HollowCodableError) -> I? {
            guard let field = present(key) else { return nil }
            return try ScalarRead.integer(type, reader, ordinal, field)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw nested(key)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw nested(key) }

        func superDecoder() throws -> any Decoder {
            throw HollowCodableError.unsupportedType(type: table.reader.name, field: nil, reason: "a type that decodes a super decoder (class inheritance)")
        }

        func superDecoder(forKey key: Key) throws -> any Decoder { throw nested(key) }

        private func nested(_ key: Key) -> HollowCodableError {
            .unsupportedType(type: table.reader.name, field: key.stringValue, reason: "a type that decodes a nested container")
        }
    }

    struct SingleContainer: SingleValueDecodingContainer {
        let context: DecodingContext
        let table: ObjectTable
        let field: FieldHandle
        let ordinal: Int
        let codingPath: [any CodingKey]

        private var reader: ObjectTypeReadState { table.reader }

        func decodeNil() -> Bool { reader.isNull(ordinal, field) }

        func decode<T: Decodable>(_ type: T.Type) throws -> T { try context.decodeField(type, table, field, ordinal) }
        func decode(_ type: Bool.Type) throws -> Bool { try ScalarRead.bool(reader, ordinal, field) }
        func decode(_ type: String.Type) throws -> String { try ScalarRead.string(reader, ordinal, field) }
        func decode(_ type: Double.Type) throws -> Double { try ScalarRead.double(reader, ordinal, field) }
        func decode(_ type: Float.Type) throws -> Float { try ScalarRead.float(reader, ordinal, field) }
        func decode(_ type: Int.Type) throws -> Int { try ScalarRead.integer(type, reader, ordinal, field) }
        func decode(_ type: Int8.Type) throws -> Int8 { try ScalarRead.integer(type, reader, ordinal, field) }
        func decode(_ type: Int16.Type) throws -> Int16 { try ScalarRead.integer(type, reader, ordinal, field) }
        func decode(_ type: Int32.Type) throws -> Int32 { try ScalarRead.integer(type, reader, ordinal, field) }
        func decode(_ type: Int64.Type) throws -> Int64 { try ScalarRead.integer(type, reader, ordinal, field) }
        func decode(_ type: UInt.Type) throws -> UInt { try ScalarRead.integer(type, reader, ordinal, field) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try ScalarRead.integer(type, reader, ordinal, field) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try ScalarRead.integer(type, reader, ordinal, field) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try ScalarRead.integer(type, reader, ordinal, field) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try ScalarRead.integer(type, reader, ordinal, field) }
    }
}
