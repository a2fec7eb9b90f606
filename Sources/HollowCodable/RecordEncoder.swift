import HollowCore

/// Where one Codable value goes while it encodes itself: a record of an object type (a keyed
/// container, or a single value at a record position, which fills the wrapper type's `value`), or a
/// field (a single value goes to the field itself, a keyed container to a record that the field
/// refers to). `Encoder` methods that cannot throw leave their error here; it is thrown at the
/// next write and when the value is done.
final class EncodingTarget {
    let session: EncodingSession
    let swiftType: Any.Type
    /// The object type that a keyed container fills; nil when the field the value goes to holds
    /// no reference.
    let recordType: String?
    /// The field the value goes to, with its object type; nil at a record position.
    let field: (field: FieldSchema, owner: String)?
    private var layout: EncodingSession.Layout?
    private var record: ObjectRecord?
    private(set) var usedKeyed = false
    private(set) var usedSingle = false
    private(set) var single: FieldValue?
    private(set) var error: HollowCodableError?
    private(set) var lastKey: String?

    init(session: EncodingSession, swiftType: Any.Type, recordType: String?, field: (field: FieldSchema, owner: String)?) {
        self.session = session
        self.swiftType = swiftType
        self.recordType = recordType
        self.field = field
    }

    /// A target whose every write throws `error`.
    static func failed(_ error: HollowCodableError, session: EncodingSession) -> EncodingTarget {
        let target = EncodingTarget(session: session, swiftType: Never.self, recordType: nil, field: nil)
        target.error = error
        return target
    }

    func fail(_ error: HollowCodableError) {
        if self.error == nil { self.error = error }
    }

    func beginKeyed() {
        guard error == nil, !usedKeyed else { return }
        guard !usedSingle else {
            return fail(.unsupportedType(type: "\(swiftType)", field: nil, reason: "it encodes both a keyed and a single value container"))
        }
        usedKeyed = true
        guard let recordType else {
            let (field, owner) = field!
            return fail(.typeMismatch(type: owner, field: field.name, expected: field.type.description, found: "\(swiftType)"))
        }
        do {
            let layout = try session.layout(recordType, for: swiftType)
            self.layout = layout
            record = ObjectRecord(layout.schema)
        } catch {
            fail(error)
        }
    }

    func beginSingle() {
        guard error == nil else { return }
        guard !usedKeyed else {
            return fail(.unsupportedType(type: "\(swiftType)", field: nil, reason: "it encodes both a keyed and a single value container"))
        }
        usedSingle = true
    }

    /// The position and schema of the field `key` of the keyed record.
    func position(_ key: String) throws(HollowCodableError) -> (index: Int, field: FieldSchema) {
        if let error { throw error }
        lastKey = key
        guard let layout, let index = layout.positions[key] else { throw .missingField(type: recordType ?? "\(swiftType)", field: key) }
        return (index, layout.schema.fields[index])
    }

    var owner: String { layout?.schema.name ?? "\(swiftType)" }

    func set(_ index: Int, _ value: FieldValue?) throws(HollowCodableError) {
        do { try record!.set(fieldAt: index, value) } catch { throw .write(error) }
    }

    /// The field a single value goes to: the target's field, or the `value` field of the wrapper type.
    func singleField() throws(HollowCodableError) -> (field: FieldSchema, owner: String) {
        if let error { throw error }
        if let field { return field }
        let layout = try session.layout(recordType!, for: swiftType)
        guard let index = layout.positions["value"] else { throw .missingField(type: recordType!, field: "value") }
        return (layout.schema.fields[index], recordType!)
    }

    func setSingle(_ value: FieldValue?) { single = value }

    /// Adds the record the value made (its keyed fields, or the wrapper of its single value) and
    /// returns its ordinal. A value that encoded nothing is a record with no field set.
    func finish() throws(HollowCodableError) -> Int {
        if let error { throw error }
        if usedSingle {
            let (field, owner) = try singleField()
            let layout = try session.layout(owner, for: swiftType)
            var record = ObjectRecord(layout.schema)
            do { try record.set(field.name, single) } catch { throw .write(error) }
            return try session.add(record)
        }
        beginKeyed()
        if let error { throw error }
        return try session.add(record!)
    }
}

/// The `Encoder` a Codable value encodes itself into; see `EncodingTarget`.
struct RecordEncoder: Encoder {
    let target: EncodingTarget
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        target.beginKeyed()
        return KeyedEncodingContainer(KeyedContainer(target: target, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let error = HollowCodableError.unsupportedType(
            type: "\(target.swiftType)", field: nil,
            reason: "it encodes an unkeyed container; store a sequence in an Array, Set or Dictionary property instead")
        target.fail(error)
        return FailedUnkeyedContainer(error: error, session: target.session, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        target.beginSingle()
        return SingleContainer(target: target, codingPath: codingPath)
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let target: EncodingTarget
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws {
            try target.set(try target.position(key.stringValue).index, nil)
        }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            let (index, field) = try target.position(key.stringValue)
            try target.set(index, try target.session.fieldValue(of: value, for: field, in: target.owner))
        }

        private func scalar(_ value: ScalarValue, _ type: Any.Type, _ key: Key) throws {
            let (index, field) = try target.position(key.stringValue)
            try target.set(index, try value.fieldValue(for: field, in: target.owner, swiftType: type))
        }

        mutating func encode(_ value: Bool, forKey key: Key) throws { try scalar(.bool(value), Bool.self, key) }
        mutating func encode(_ value: String, forKey key: Key) throws { try scalar(.string(value), String.self, key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { try scalar(.double(value), Double.self, key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { try scalar(.float(value), Float.self, key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { try scalar(.signed(Int64(value)), Int.self, key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { try scalar(.signed(Int64(value)), Int8.self, key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { try scalar(.signed(Int64(value)), Int16.self, key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { try scalar(.signed(Int64(value)), Int32.self, key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { try scalar(.signed(value), Int64.self, key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { try scalar(.unsigned(UInt64(value)), UInt.self, key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { try scalar(.unsigned(UInt64(value)), UInt8.self, key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { try scalar(.unsigned(UInt64(value)), UInt16.self, key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { try scalar(.unsigned(UInt64(value)), UInt32.self, key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { try scalar(.unsigned(value), UInt64.self, key) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(KeyedContainer<NestedKey>(target: failed(key), codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            FailedUnkeyedContainer(error: failed(key).error!, session: target.session, codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> any Encoder {
            let error = HollowCodableError.unsupportedType(type: "\(target.swiftType)", field: nil, reason: "it encodes a super encoder (class inheritance)")
            target.fail(error)
            return RecordEncoder(target: .failed(error, session: target.session), codingPath: codingPath)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            RecordEncoder(target: failed(key), codingPath: codingPath + [key])
        }

        private func failed(_ key: Key) -> EncodingTarget {
            let error = HollowCodableError.unsupportedType(
                type: "\(target.swiftType)", field: key.stringValue,
                reason: "it encodes a nested container; give the nested value a Codable type of its own")
            target.fail(error)
            return .failed(error, session: target.session)
        }
    }

    struct SingleContainer: SingleValueEncodingContainer {
        let target: EncodingTarget
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws {
            _ = try target.singleField()
            target.setSingle(nil)
        }

        mutating func encode<T: Encodable>(_ value: T) throws {
            let (field, owner) = try target.singleField()
            target.setSingle(try target.session.fieldValue(of: value, for: field, in: owner))
        }

        private func scalar(_ value: ScalarValue, _ type: Any.Type) throws {
            let (field, owner) = try target.singleField()
            target.setSingle(try value.fieldValue(for: field, in: owner, swiftType: type))
        }

        mutating func encode(_ value: Bool) throws { try scalar(.bool(value), Bool.self) }
        mutating func encode(_ value: String) throws { try scalar(.string(value), String.self) }
        mutating func encode(_ value: Double) throws { try scalar(.double(value), Double.self) }
        mutating func encode(_ value: Float) throws { try scalar(.float(value), Float.self) }
        mutating func encode(_ value: Int) throws { try scalar(.signed(Int64(value)), Int.self) }
        mutating func encode(_ value: Int8) throws { try scalar(.signed(Int64(value)), Int8.self) }
        mutating func encode(_ value: Int16) throws { try scalar(.signed(Int64(value)), Int16.self) }
        mutating func encode(_ value: Int32) throws { try scalar(.signed(Int64(value)), Int32.self) }
        mutating func encode(_ value: Int64) throws { try scalar(.signed(value), Int64.self) }
        mutating func encode(_ value: UInt) throws { try scalar(.unsigned(UInt64(value)), UInt.self) }
        mutating func encode(_ value: UInt8) throws { try scalar(.unsigned(UInt64(value)), UInt8.self) }
        mutating func encode(_ value: UInt16) throws { try scalar(.unsigned(UInt64(value)), UInt16.self) }
        mutating func encode(_ value: UInt32) throws { try scalar(.unsigned(UInt64(value)), UInt32.self) }
        mutating func encode(_ value: UInt64) throws { try scalar(.unsigned(value), UInt64.self) }
    }

    /// The unkeyed container of a type the mapping cannot store: every write throws.
    struct FailedUnkeyedContainer: UnkeyedEncodingContainer {
        let error: HollowCodableError
        let session: EncodingSession
        let codingPath: [any CodingKey]
        var count: Int { 0 }

        mutating func encodeNil() throws { throw error }
        mutating func encode<T: Encodable>(_ value: T) throws { throw error }
        mutating func encode(_ value: Bool) throws { throw error }
        mutating func encode(_ value: String) throws { throw error }
        mutating func encode(_ value: Double) throws { throw error }
        mutating func encode(_ value: Float) throws { throw error }
        mutating func encode(_ value: Int) throws { throw error }
        mutating func encode(_ value: Int8) throws { throw error }
        mutating func encode(_ value: Int16) throws { throw error }
        mutating func encode(_ value: Int32) throws { throw error }
        mutating func encode(_ value: Int64) throws { throw error }
        mutating func encode(_ value: UInt) throws { throw error }
        mutating func encode(_ value: UInt8) throws { throw error }
        mutating func encode(_ value: UInt16) throws { throw error }
        mutating func encode(_ value: UInt32) throws { throw error }
        mutating func encode(_ value: UInt64) throws { throw error }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(KeyedContainer<NestedKey>(target: .failed(error, session: session), codingPath: codingPath))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { self }

        mutating func superEncoder() -> any Encoder {
            RecordEncoder(target: .failed(error, session: session), codingPath: codingPath)
        }
    }
}
