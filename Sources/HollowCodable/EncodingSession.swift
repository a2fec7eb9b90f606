import HollowCore

/// One use of `HollowEncoder`: adds Swift values, and the values nested in them, to a write
/// state's cycle. Schema-driven below the root: a nested value goes to the type its field refers
/// to, an element to its collection's element type, so that only the root's type is named from
/// its Swift type. Not thread-safe; each `add` makes its own.
final class EncodingSession {
    /// An object type of the schema with its fields by name.
    struct Layout {
        let schema: ObjectSchema
        let positions: [String: Int]
    }

    let state: WriteState
    let schema: Schema
    private var layouts: [String: Layout] = [:]
    private var routes = RouteCache(EncodeRoute.init)

    init(state: WriteState) {
        self.state = state
        schema = state.schema
    }

    func layout(_ name: String, for swiftType: Any.Type) throws(HollowCodableError) -> Layout {
        if let layout = layouts[name] { return layout }
        guard let object = schema.object(name) else { throw .missingType(name: name, swiftType: "\(swiftType)") }
        let layout = Layout(schema: object, positions: Dictionary(object.fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a }))
        layouts[name] = layout
        return layout
    }

    func add(_ record: ObjectRecord) throws(HollowCodableError) -> Int {
        do { return try state.add(record) } catch { throw .write(error) }
    }

    /// Adds `value` as a record of the type `typeName` and returns its ordinal.
    func ordinal<T: Encodable>(of value: T, as typeName: String) throws(HollowCodableError) -> Int {
        switch routes.route(T.self) {
        case .scalar(let kind):
            return try addWrapper(typeName, T.self) { (field) throws(HollowCodableError) in
                try kind.scalar(value).fieldValue(for: field, in: typeName, swiftType: T.self)
            }
        case .optional:
            return try addWrapper(typeName, T.self) { (field) throws(HollowCodableError) in
                try self.optionalFieldValue(value as! any HollowEncodableOptional, T.self, for: field, in: typeName)
            }
        case .collection:
            return try addCollection(value as! any HollowEncodableCollection, as: typeName, T.self)
        case .raw(let kind):
            let raw = hollowRawValue(value as! any RawRepresentable)
            return try addWrapper(typeName, T.self) { (field) throws(HollowCodableError) in
                try kind.scalar(raw).fieldValue(for: field, in: typeName, swiftType: T.self)
            }
        case .codable:
            let target = EncodingTarget(session: self, swiftType: T.self, recordType: typeName, field: nil)
            try encode(value, into: target)
            return try target.finish()
        }
    }

    /// The value of `field` (of the object type `owner`) for `value`; nested records are added first.
    func fieldValue<T: Encodable>(of value: T, for field: FieldSchema, in owner: String) throws(HollowCodableError) -> FieldValue? {
        switch routes.route(T.self) {
        case .scalar(let kind):
            return try kind.scalar(value).fieldValue(for: field, in: owner, swiftType: T.self)
        case .optional:
            return try optionalFieldValue(value as! any HollowEncodableOptional, T.self, for: field, in: owner)
        case .collection:
            guard case .reference(let target) = field.type else {
                throw .typeMismatch(type: owner, field: field.name, expected: field.type.description, found: "\(T.self)")
            }
            return .reference(try addCollection(value as! any HollowEncodableCollection, as: target, T.self))
        case .raw(let kind):
            let raw = hollowRawValue(value as! any RawRepresentable)
            return try kind.scalar(raw).fieldValue(for: field, in: owner, swiftType: T.self)
        case .codable:
            var recordType: String?
            if case .reference(let target) = field.type { recordType = target }
            let target = EncodingTarget(session: self, swiftType: T.self, recordType: recordType, field: (field, owner))
            try encode(value, into: target)
            if target.usedSingle { return target.single }
            return .reference(try target.finish())
        }
    }

    private func optionalFieldValue(_ optional: any HollowEncodableOptional, _ swiftType: Any.Type,
                                    for field: FieldSchema, in owner: String) throws(HollowCodableError) -> FieldValue? {
        guard let wrapped = optional.hollowWrappedEncodable else { return nil }
        if wrapped is any HollowOptionalMarker {
            throw .unsupportedType(type: owner, field: field.name, reason: "\(swiftType): an optional of an optional cannot be told apart from nil in one field")
        }
        return try fieldValue(of: wrapped, for: field, in: owner)
    }

    /// Adds a record of the wrapper type `typeName`, whose field `value` is made by `make`.
    private func addWrapper(_ typeName: String, _ swiftType: Any.Type,
                            _ make: (FieldSchema) throws(HollowCodableError) -> FieldValue?) throws(HollowCodableError) -> Int {
        let layout = try layout(typeName, for: swiftType)
        guard let index = layout.positions["value"] else { throw .missingField(type: typeName, field: "value") }
        let value = try make(layout.schema.fields[index])
        var record = ObjectRecord(layout.schema)
        do { try record.set(fieldAt: index, value) } catch { throw .write(error) }
        return try add(record)
    }

    private func addCollection(_ collection: any HollowEncodableCollection, as typeName: String,
                               _ swiftType: Any.Type) throws(HollowCodableError) -> Int {
        var sink = CollectionSink(session: self)
        switch (type(of: collection).hollowCollectionKind, schema[typeName]) {
        case (.list, .list(_, let element)?), (.set, .set(_, let element)?):
            sink.elementType = element
        case (.map, .map(_, let key, let value)?):
            sink.elementType = key
            sink.valueType = value
        default:
            throw .missingType(name: typeName, swiftType: "\(swiftType)")
        }
        sink.elements.reserveCapacity(collection.hollowCount)
        do { try collection.hollowEncode(into: &sink) } catch let error as HollowCodableError {
            throw error
        } catch {
            throw .failed(type: "\(swiftType)", field: nil, message: "\(error)")
        }
        do {
            switch type(of: collection).hollowCollectionKind {
            case .list: return try state.add(list: sink.elements, to: typeName)
            case .set: return try state.add(set: sink.elements, to: typeName)
            case .map: return try state.add(map: Array(zip(sink.elements, sink.values)).map { (key: $0, value: $1) }, to: typeName)
            }
        } catch {
            throw .write(error)
        }
    }

    /// Lets `value` encode itself into `target`.
    private func encode<T: Encodable>(_ value: T, into target: EncodingTarget) throws(HollowCodableError) {
        do {
            try value.encode(to: RecordEncoder(target: target, codingPath: []))
        } catch let error as HollowCodableError {
            throw error
        } catch {
            throw .failed(type: "\(T.self)", field: target.lastKey, message: "encode(to:) threw: \(error)")
        }
        if let error = target.error { throw error }
    }
}

/// Collects the ordinals of a collection's elements (or keys and values) as they are added.
struct CollectionSink: HollowElementSink {
    let session: EncodingSession
    var elementType = ""
    var valueType = ""
    var elements: [Int] = []
    var values: [Int] = []

    init(session: EncodingSession) { self.session = session }

    mutating func element<E: Encodable>(_ element: E) throws {
        elements.append(try session.ordinal(of: element, as: elementType))
    }

    mutating func entry<K: Encodable, V: Encodable>(_ key: K, _ value: V) throws {
        elements.append(try session.ordinal(of: key, as: elementType))
        values.append(try session.ordinal(of: value, as: valueType))
    }
}
