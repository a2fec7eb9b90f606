import HollowCore

/// The `Decoder` that `SchemaDiscovery` hands to `init(from:)`: it records which container the
/// type asks for, and the key, type and nullability of each field, and returns placeholder values.
///
/// - `decodeIfPresent` makes a field nullable and returns nil; `decodeNil(forKey:)` makes it
///   nullable and returns false, so that the code goes on to decode the value.
/// - `contains` is always true; reading `allKeys` (types whose keys are data, such as enums with
///   associated values) is reported as unsupported, as are unkeyed and nested containers and
///   super decoders.
struct SchemaDiscoveryDecoder: Decoder {
    final class Recording {
        enum Container { case none, keyed, single }
        struct Field {
            var name: String
            var type: FieldType
            var nullable: Bool
        }

        let type: Any.Type
        var container = Container.none
        var fields: [Field] = []
        private var positions: [String: Int] = [:]
        /// Keys that `decodeNil(forKey:)` was asked about: nullable whatever is decoded next.
        private var nullableKeys: Set<String> = []
        var single: (type: FieldType, nullable: Bool)?
        var singleNullable = false
        var readAllKeys = false
        var lastKey: String?

        init(type: Any.Type) { self.type = type }

        func use(_ kind: Container) throws(HollowCodableError) {
            if container == .none { container = kind }
            guard container == kind else {
                throw .unsupportedType(type: "\(type)", field: nil, reason: "it decodes both a keyed and a single value container")
            }
        }

        func markNullable(_ key: String) {
            nullableKeys.insert(key)
            if let position = positions[key] { fields[position].nullable = true }
        }

        func add(_ key: String, _ fieldType: FieldType, nullable: Bool) throws(HollowCodableError) {
            lastKey = key
            let nullable = nullable || nullableKeys.contains(key)
            if let position = positions[key] {
                guard fields[position].type == fieldType else {
                    throw .unsupportedType(type: "\(type)", field: key, reason: "the key is decoded twice, as \(fields[position].type) and as \(fieldType)")
                }
                fields[position].nullable = fields[position].nullable || nullable
                return
            }
            positions[key] = fields.count
            fields.append(Field(name: key, type: fieldType, nullable: nullable))
        }
    }

    let discovery: SchemaDiscovery
    let recording: Recording
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try recording.use(.keyed)
        return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw HollowCodableError.unsupportedType(
            type: "\(recording.type)", field: nil,
            reason: "it decodes an unkeyed container; store a sequence in an Array, Set or Dictionary property instead")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        try recording.use(.single)
        return SingleContainer(decoder: self)
    }

    struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: SchemaDiscoveryDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }

        var allKeys: [Key] {
            decoder.recording.readAllKeys = true
            return []
        }

        func contains(_ key: Key) -> Bool { true }

        func decodeNil(forKey key: Key) throws -> Bool {
            decoder.recording.markNullable(key.stringValue)
            return false
        }

        private func field<T: Decodable>(_ type: T.Type, _ key: Key, optional: Bool) throws -> (FieldType, Bool) {
            decoder.recording.lastKey = key.stringValue
            let field: (type: FieldType, nullable: Bool)
            do { field = try decoder.discovery.fieldType(type, field: key.stringValue) } catch {
                throw Self.locate(error, decoder.recording.type, key.stringValue)
            }
            if optional && field.nullable {
                throw HollowCodableError.unsupportedType(
                    type: "\(decoder.recording.type)", field: key.stringValue,
                    reason: "an optional of an optional cannot be told apart from nil in one field")
            }
            try decoder.recording.add(key.stringValue, field.type, nullable: field.nullable || optional)
            return field
        }

        /// Puts the field on an error about a field type that does not name one yet.
        static func locate(_ error: HollowCodableError, _ owner: Any.Type, _ key: String) -> HollowCodableError {
            if case .unsupportedType(let type, nil, let reason) = error {
                return .unsupportedType(type: "\(owner)", field: key, reason: "\(type): \(reason)")
            }
            return error
        }

        func decodeValue<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            _ = try field(type, key, optional: false)
            return try decoder.discovery.placeholder(type)
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decodeValue(type, forKey: key) }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try optionalValue(type, key) }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeValue(type, forKey: key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeValue(type, forKey: key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeValue(type, forKey: key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decodeValue(type, forKey: key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeValue(type, forKey: key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeValue(type, forKey: key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeValue(type, forKey: key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeValue(type, forKey: key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeValue(type, forKey: key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decodeValue(type, forKey: key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeValue(type, forKey: key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeValue(type, forKey: key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeValue(type, forKey: key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decodeValue(type, forKey: key) }

        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optionalValue(type, key) }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optionalValue(type, key) }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optionalValue(type, key) }
        func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optionalValue(type, key) }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optionalValue(type, key) }
        func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optionalValue(type, key) }
        func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optionalValue(type, key) }
        func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optionalValue(type, key) }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optionalValue(type, key) }
        func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optionalValue(type, key) }
        func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optionalValue(type, key) }
        func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optionalValue(type, key) }
        func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optionalValue(type, key) }
        func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optionalValue(type, key) }

        private func optionalValue<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
            _ = try field(type, key, optional: true)
            return nil
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw nested(key)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw nested(key) }

        func superDecoder() throws -> any Decoder {
            throw HollowCodableError.unsupportedType(type: "\(decoder.recording.type)", field: nil, reason: "it decodes a super decoder (class inheritance)")
        }

        func superDecoder(forKey key: Key) throws -> any Decoder { throw nested(key) }

        private func nested(_ key: Key) -> HollowCodableError {
            .unsupportedType(type: "\(decoder.recording.type)", field: key.stringValue,
                             reason: "it decodes a nested container; give the nested value a Codable type of its own")
        }
    }

    struct SingleContainer: SingleValueDecodingContainer {
        let decoder: SchemaDiscoveryDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }

        func decodeNil() -> Bool {
            decoder.recording.singleNullable = true
            return false
        }

        func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
            let field = try decoder.discovery.fieldType(type)
            if let single = decoder.recording.single, single.type != field.type {
                throw HollowCodableError.unsupportedType(type: "\(decoder.recording.type)", field: nil,
                                                         reason: "its single value is decoded both as \(single.type) and as \(field.type)")
            }
            decoder.recording.single = (field.type, field.nullable || (decoder.recording.single?.nullable ?? false))
            return try decoder.discovery.placeholder(type)
        }

        func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
        func decode(_ type: Bool.Type) throws -> Bool { try decodeValue(type) }
        func decode(_ type: String.Type) throws -> String { try decodeValue(type) }
        func decode(_ type: Double.Type) throws -> Double { try decodeValue(type) }
        func decode(_ type: Float.Type) throws -> Float { try decodeValue(type) }
        func decode(_ type: Int.Type) throws -> Int { try decodeValue(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try decodeValue(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try decodeValue(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try decodeValue(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try decodeValue(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try decodeValue(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeValue(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeValue(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeValue(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeValue(type) }
    }
}
