import HollowCore

/// One decode of a Swift value from a read state, with the values nested in it. Schema-driven
/// below the root: a nested value is read from the type its field refers to, an element from its
/// collection's element type. Readers come from the `HollowDecoder`'s tables, or are resolved on
/// first use, once per type. Not thread-safe; each decode makes its own.
final class DecodingContext {
    let state: ReadState
    private let tables: ReadTables?
    private var objects: [String: ObjectTable] = [:]
    private var routes = RouteCache(DecodeRoute.init)

    init(state: ReadState, tables: ReadTables?) {
        self.state = state
        self.tables = tables
    }

    func object(_ name: String, for swiftType: Any.Type) throws(HollowCodableError) -> ObjectTable {
        if let table = tables?.objects[name] ?? objects[name] { return table }
        guard let reader = state.objectType(name) else { throw .missingType(name: name, swiftType: "\(swiftType)") }
        let table = ObjectTable(reader)
        objects[name] = table
        return table
    }

    /// The object table of `name` after checking that `ordinal` holds a record.
    func record(_ name: String, _ ordinal: Int, for swiftType: Any.Type) throws(HollowCodableError) -> ObjectTable {
        let table = try object(name, for: swiftType)
        guard table.reader.isPopulated(ordinal) else { throw .noRecord(type: name, ordinal: ordinal) }
        return table
    }

    /// The wrapper type `name` (scalars, raw values and optionals stored as records) and its `value` field.
    private func wrapper(_ name: String, _ ordinal: Int, for swiftType: Any.Type) throws(HollowCodableError) -> (ObjectTable, FieldHandle) {
        let table = try record(name, ordinal, for: swiftType)
        guard let field = table.fields["value"] else { throw .missingField(type: name, field: "value") }
        return (table, field)
    }

    /// Decodes the record `ordinal` of the type `typeName` as a `T`.
    func decodeRecord<T: Decodable>(_ type: T.Type, typeName: String, ordinal: Int) throws(HollowCodableError) -> T {
        switch routes.route(type) {
        case .scalar(let kind):
            let (table, field) = try wrapper(typeName, ordinal, for: type)
            return try scalar(kind, table, field, ordinal) as! T
        case .optional(let optional):
            let (table, field) = try wrapper(typeName, ordinal, for: type)
            return try decodeOptional(optional, table, field, ordinal) as! T
        case .collection(let collection):
            return try decodeCollection(collection, typeName, ordinal) as! T
        case .raw(let kind):
            let (table, field) = try wrapper(typeName, ordinal, for: type)
            return try raw(type, kind, table, field, ordinal)
        case .codable:
            let table = try record(typeName, ordinal, for: type)
            return try decodeCodable(type, at: .record(table, ordinal))
        }
    }

    /// Decodes the field `field` of record `ordinal` as a `T`.
    func decodeField<T: Decodable>(_ type: T.Type, _ table: ObjectTable, _ field: FieldHandle, _ ordinal: Int) throws(HollowCodableError) -> T {
        switch routes.route(type) {
        case .scalar(let kind):
            return try scalar(kind, table, field, ordinal) as! T
        case .optional(let optional):
            return try decodeOptional(optional, table, field, ordinal) as! T
        case .collection(let collection):
            let (target, reference) = try follow(table, field, ordinal, type)
            return try decodeCollection(collection, target, reference) as! T
        case .raw(let kind):
            return try raw(type, kind, table, field, ordinal)
        case .codable:
            return try decodeCodable(type, at: .field(table, field, ordinal))
        }
    }

    /// The type and ordinal a reference field points to; the field must not be null.
    func follow(_ table: ObjectTable, _ field: FieldHandle, _ ordinal: Int, _ swiftType: Any.Type) throws(HollowCodableError) -> (String, Int) {
        guard case .reference(let target) = field.type else {
            throw .typeMismatch(type: table.reader.name, field: field.name, expected: field.type.description, found: "\(swiftType)")
        }
        guard let reference = table.reader.reference(ordinal, field) else {
            throw .unexpectedNull(type: table.reader.name, field: field.name)
        }
        return (target, reference)
    }

    private func scalar(_ kind: ScalarKind, _ table: ObjectTable, _ field: FieldHandle, _ ordinal: Int) throws(HollowCodableError) -> Any {
        if table.reader.isNull(ordinal, field) { throw .unexpectedNull(type: table.reader.name, field: field.name) }
        return try kind.read(table.reader, ordinal, field)
    }

    private func raw<T>(_ type: T.Type, _ kind: ScalarKind, _ table: ObjectTable, _ field: FieldHandle, _ ordinal: Int) throws(HollowCodableError) -> T {
        let rawValue = try scalar(kind, table, field, ordinal)
        guard let value = hollowMakeRaw(type, rawValue) else {
            throw .invalidValue(type: table.reader.name, field: field.name, value: "\(rawValue)", target: "\(type)")
        }
        return value
    }

    private func decodeOptional(_ optional: any HollowDecodableOptional.Type, _ table: ObjectTable, _ field: FieldHandle,
                                _ ordinal: Int) throws(HollowCodableError) -> Any {
        if table.reader.isNull(ordinal, field) { return optional.hollowNone }
        let wrapped: any Decodable = try decodeField(optional.hollowWrappedDecodable, table, field, ordinal)
        return optional.hollowSome(wrapped)
    }

    private func decodeCollection(_ collection: any HollowDecodableCollection.Type, _ typeName: String,
                                  _ ordinal: Int) throws(HollowCodableError) -> Any {
        func decode<S: HollowElementSource>(_ source: inout S) throws(HollowCodableError) -> Any {
            do { return try collection.hollowDecode(from: &source) } catch let error as HollowCodableError {
                throw error
            } catch {
                throw .failed(type: "\(collection)", field: nil, message: "\(error)")
            }
        }
        switch (collection.hollowCollectionKind, state.schema[typeName]) {
        case (.list, .list(_, let element)?):
            let reader = tables?.lists[typeName] ?? state.listType(typeName)!
            guard reader.isPopulated(ordinal) else {
                throw .noRecord(type: typeName, ordinal: ordinal)
            }
            var source = ListSource(context: self, reader: reader, ordinal: ordinal, elementType: element, count: reader.count(ordinal))
            return try decode(&source)
        case (.set, .set(_, let element)?):
            let entries = try hashedEntries(typeName, ordinal)
            var source = EntrySource(context: self, entries: entries, keyType: element, valueType: element)
            return try decode(&source)
        case (.map, .map(_, let key, let value)?):
            let entries = try hashedEntries(typeName, ordinal)
            var source = EntrySource(context: self, entries: entries, keyType: key, valueType: value)
            return try decode(&source)
        default:
            throw .missingType(name: typeName, swiftType: "\(collection)")
        }
    }

    private func hashedEntries(_ typeName: String, _ ordinal: Int) throws(HollowCodableError) -> [(key: Int, value: Int)] {
        let reader = tables?.hashed[typeName] ?? state.hashedType(typeName)!
        guard reader.isPopulated(ordinal) else {
            throw .noRecord(type: typeName, ordinal: ordinal)
        }
        return reader.entries(ordinal)
    }

    private func decodeCodable<T: Decodable>(_ type: T.Type, at position: RecordDecoder.Position) throws(HollowCodableError) -> T {
        do {
            return try T(from: RecordDecoder(context: self, position: position, codingPath: []))
        } catch let error as HollowCodableError {
            throw error
        } catch {
            throw .failed(type: "\(type)", field: nil, message: "init(from:) threw: \(error)")
        }
    }
}

/// The elements of one list record.
struct ListSource: HollowElementSource {
    let context: DecodingContext
    let reader: ListTypeReadState
    let ordinal: Int
    let elementType: String
    let count: Int
    private var index = 0

    init(context: DecodingContext, reader: ListTypeReadState, ordinal: Int, elementType: String, count: Int) {
        self.context = context
        self.reader = reader
        self.ordinal = ordinal
        self.elementType = elementType
        self.count = count
    }

    mutating func next<E: Decodable>(_ type: E.Type) throws -> E {
        let element = reader.element(ordinal, at: index)
        index += 1
        return try context.decodeRecord(type, typeName: elementType, ordinal: element)
    }

    mutating func nextEntry<K: Decodable, V: Decodable>(_ key: K.Type, _ value: V.Type) throws -> (K, V) {
        throw HollowCodableError.missingType(name: reader.name, swiftType: "a dictionary")
    }
}

/// The elements of one set record, or the entries of one map record.
struct EntrySource: HollowElementSource {
    let context: DecodingContext
    let entries: [(key: Int, value: Int)]
    let keyType: String
    let valueType: String
    private var index = 0

    init(context: DecodingContext, entries: [(key: Int, value: Int)], keyType: String, valueType: String) {
        self.context = context
        self.entries = entries
        self.keyType = keyType
        self.valueType = valueType
    }

    var count: Int { entries.count }

    mutating func next<E: Decodable>(_ type: E.Type) throws -> E {
        let entry = entries[index]
        index += 1
        return try context.decodeRecord(type, typeName: keyType, ordinal: entry.key)
    }

    mutating func nextEntry<K: Decodable, V: Decodable>(_ key: K.Type, _ value: V.Type) throws -> (K, V) {
        let entry = entries[index]
        index += 1
        return (try context.decodeRecord(key, typeName: keyType, ordinal: entry.key),
                try context.decodeRecord(value, typeName: valueType, ordinal: entry.value))
    }
}
