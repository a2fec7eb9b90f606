import HollowCore

/// Finds the schema of `Decodable` types without a value of them: each type is asked to decode
/// itself from a `SchemaDiscoveryDecoder`, which records the keys and types it asks for and hands
/// back placeholder values (zeros, empty strings and collections, `nil` for `decodeIfPresent`, the
/// first case of a `CaseIterable` enum). Collections, optionals, scalars and raw-value types are
/// recognised by type and never asked. Each Swift type is discovered once.
final class SchemaDiscovery {
    /// How a Swift type maps, position aside: where a field is needed and where a record is.
    enum Shape {
        /// A scalar: a field of its kind; as a record, the kind's wrapper type.
        case scalar(ScalarKind)
        /// A raw-value type: a field of its raw value's kind; as a record, a wrapper type of its own name.
        case raw(ScalarKind)
        /// A nullable field of the wrapped type; as a record, a `Nullable…` wrapper type.
        case optional(any Decodable.Type)
        case collection(HollowCollectionKind, [any Decodable.Type])
        /// A keyed type: a reference field to its object type, already registered.
        case object
        /// A type that decodes one value of another type: that type's field, inlined; as a record,
        /// a wrapper type of its own name.
        case single(FieldType, nullable: Bool)
    }

    private var types: [TypeSchema] = []
    private var registered: [String: (position: Int, swiftType: String)] = [:]
    private var shapes: [ObjectIdentifier: (shape: Shape, placeholder: Any?)] = [:]
    private var inProgress: [ObjectIdentifier] = []
    /// The types and fields being discovered, outermost first, for the error of a recursive type.
    private(set) var trail: [String] = []

    /// The types found, in the order they were found.
    var typeSchemas: [TypeSchema] { types }

    func shape<T: Decodable>(_ type: T.Type) throws(HollowCodableError) -> Shape {
        try entry(type).shape
    }

    private func entry<T: Decodable>(_ type: T.Type) throws(HollowCodableError) -> (shape: Shape, placeholder: Any?) {
        let id = ObjectIdentifier(type)
        if let known = shapes[id] { return known }
        if inProgress.contains(id) {
            throw .recursiveType(type: "\(type)", path: (trail + [HollowTypeNaming.name(of: type)]).joined(separator: " -> "))
        }
        // The same classification as the decoder's, so that what is discovered is what is read.
        let found: (shape: Shape, placeholder: Any?)
        switch DecodeRoute(type) {
        case .scalar(let kind):
            found = (.scalar(kind), kind.placeholder)
        case .optional(let optional):
            found = (.optional(optional.hollowWrappedDecodable), optional.hollowNone)
        case .collection(let collection):
            found = (.collection(collection.hollowCollectionKind, collection.hollowDecodableComponents), collection.hollowEmpty)
        case .raw(let kind):
            // The placeholder is made when a non-optional field needs one (see `placeholder`).
            found = (.raw(kind), nil)
        case .codable:
            found = try discoverCodable(type)
        }
        shapes[id] = found
        return found
    }

    /// A value of `type` to return to the `init(from:)` being discovered.
    func placeholder<T: Decodable>(_ type: T.Type) throws(HollowCodableError) -> T {
        let found = try entry(type)
        if let value = found.placeholder { return value as! T }
        guard case .raw(let kind) = found.shape,
              let value = hollowFirstCase(type) ?? hollowMakeRaw(type, kind.placeholder)
        else { throw .noPlaceholderValue(type: "\(type)") }
        shapes[ObjectIdentifier(type)] = (found.shape, value)
        return value
    }

    /// The field type of the field `field` of the type being discovered, holding `type`.
    func fieldType<T: Decodable>(_ type: T.Type, field: String) throws(HollowCodableError) -> (type: FieldType, nullable: Bool) {
        let owner = trail.last
        if let owner { trail[trail.count - 1] = owner + "." + field }
        defer { if let owner { trail[trail.count - 1] = owner } }
        return try fieldType(type)
    }

    /// The field type of a field holding `type`, and whether it is nullable.
    func fieldType<T: Decodable>(_ type: T.Type) throws(HollowCodableError) -> (type: FieldType, nullable: Bool) {
        switch try shape(type) {
        case .scalar(let kind), .raw(let kind):
            return (kind.fieldType, false)
        case .optional(let wrapped):
            let inner = try fieldType(wrapped)
            if inner.nullable {
                throw .unsupportedType(type: "\(type)", field: nil, reason: "an optional of an optional cannot be told apart from nil in one field")
            }
            return (inner.type, true)
        case .collection:
            return (.reference(try recordType(type)), false)
        case .object:
            return (.reference(HollowTypeNaming.name(of: type)), false)
        case .single(let field, let nullable):
            return (field, nullable)
        }
    }

    /// Makes sure the schema has the type that stores `type` as a record, and returns its name.
    @discardableResult
    func recordType<T: Decodable>(_ type: T.Type) throws(HollowCodableError) -> String {
        let name = HollowTypeNaming.name(of: type)
        let shape = try shape(type)
        trail.append(name)
        defer { trail.removeLast() }
        switch shape {
        case .scalar(let kind), .raw(let kind):
            try register(.object(objectSchema(name, [FieldSchema("value", kind.fieldType)], type)), type)
        case .optional(let wrapped):
            let inner = try fieldType(wrapped)
            if inner.nullable {
                throw .unsupportedType(type: "\(type)", field: nil, reason: "an optional of an optional cannot be told apart from nil in one field")
            }
            try register(.object(objectSchema(name, [FieldSchema("value", inner.type, nullable: true)], type)), type)
        case .collection(let kind, let components):
            var names: [String] = []
            for component in components { names.append(try recordType(component)) }
            switch kind {
            case .list: try register(.list(name: name, element: names[0]), type)
            case .set: try register(.set(name: name, element: names[0]), type)
            case .map: try register(.map(name: name, key: names[0], value: names[1]), type)
            }
        case .object:
            break
        case .single(let field, let nullable):
            try register(.object(objectSchema(name, [FieldSchema("value", field, nullable: nullable)], type)), type)
        }
        return name
    }

    private func objectSchema(_ name: String, _ fields: [FieldSchema], _ type: Any.Type) -> ObjectSchema {
        ObjectSchema(name, fields: fields, primaryKey: (type as? any HollowPrimaryKeyed.Type)?.hollowPrimaryKey)
    }

    private func register(_ schema: TypeSchema, _ swiftType: Any.Type) throws(HollowCodableError) {
        if let existing = registered[schema.name] {
            guard types[existing.position] == schema else {
                throw .typeNameCollision(name: schema.name, first: existing.swiftType, second: String(reflecting: swiftType))
            }
            return
        }
        registered[schema.name] = (types.count, String(reflecting: swiftType))
        types.append(schema)
    }

    /// Asks `type` to decode itself from a discovery decoder.
    private func discoverCodable<T: Decodable>(_ type: T.Type) throws(HollowCodableError) -> (shape: Shape, placeholder: Any?) {
        let name = HollowTypeNaming.name(of: type)
        inProgress.append(ObjectIdentifier(type))
        trail.append(name)
        defer {
            inProgress.removeLast()
            trail.removeLast()
        }
        let recording = SchemaDiscoveryDecoder.Recording(type: type)
        let value: T
        do {
            value = try T(from: SchemaDiscoveryDecoder(discovery: self, recording: recording, codingPath: []))
        } catch let error as HollowCodableError {
            throw error
        } catch {
            if recording.readAllKeys { throw Self.dynamicKeys(type) }
            throw .failed(type: "\(type)", field: recording.lastKey,
                          message: "init(from:) failed on placeholder values (zeros, empty values, first cases) while the schema was discovered: \(error)")
        }
        if recording.readAllKeys { throw Self.dynamicKeys(type) }
        switch recording.container {
        case .single:
            guard let field = recording.single else {
                throw .unsupportedType(type: "\(type)", field: nil, reason: "its single value container decodes no value")
            }
            return (.single(field.type, nullable: field.nullable || recording.singleNullable), value)
        case .none, .keyed:
            let fields = recording.fields.map { FieldSchema($0.name, $0.type, nullable: $0.nullable) }
            try register(.object(objectSchema(name, fields, type)), type)
            return (.object, value)
        }
    }

    private static func dynamicKeys(_ type: Any.Type) -> HollowCodableError {
        .unsupportedType(type: "\(type)", field: nil,
                         reason: "it decodes whatever keys are present (allKeys), as enums with associated values or without raw values do; give the enum a String or integer raw value, or model the cases as optional fields of a struct")
    }
}
