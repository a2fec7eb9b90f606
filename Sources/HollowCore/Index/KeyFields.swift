/// The fields of an index key resolved against one read state: for each key field, the reference
/// fields crossed from the indexed type and the field read at the end.
@usableFromInline
struct KeyFields: Sendable {
    @usableFromInline
    struct Component: Sendable {
        @usableFromInline let hops: [(reader: ObjectTypeReadState, field: FieldHandle)]
        @usableFromInline let leafReader: ObjectTypeReadState
        @usableFromInline let leaf: FieldHandle

        /// The record holding the leaf field for `ordinal` of the indexed type; nil when a
        /// reference on the way is null or leads to an ordinal that holds no record. Loading checks
        /// the references of records only: the fields of an empty ordinal are not followed.
        @inlinable @inline(__always)
        func leafOrdinal(_ ordinal: Int) -> Int? {
            var ordinal = ordinal
            for index in hops.indices {
                guard let next = hops[index].reader.reference(ordinal, hops[index].field) else { return nil }
                let target = index &+ 1 < hops.count ? hops[index &+ 1].reader : leafReader
                guard target.isPopulated(next) else { return nil }
                ordinal = next
            }
            return ordinal
        }
    }

    let type: String
    let paths: [String]
    @usableFromInline let components: [Component]

    init(state: ReadState, type: String, paths: [String]) throws(IndexError) {
        guard state.objectType(type) != nil else { throw .unknownType(type) }
        guard !paths.isEmpty else { throw .noKeyFields(type: type) }
        self.type = type
        self.paths = paths
        var components: [Component] = []
        for path in paths {
            let steps: [(type: ObjectSchema, fieldIndex: Int)]
            do { steps = try state.schema.resolve(path: path, from: type) } catch { throw .invalidPath(type: type, path: path, reason: error.description) }
            var hops: [(reader: ObjectTypeReadState, field: FieldHandle)] = []
            for step in steps.dropLast() {
                let reader = state.objectType(step.type.name)!
                hops.append((reader, reader.fields[step.fieldIndex]))
            }
            let leafReader = state.objectType(steps.last!.type.name)!
            components.append(Component(hops: hops, leafReader: leafReader, leaf: leafReader.fields[steps.last!.fieldIndex]))
        }
        self.components = components
    }

    /// The key hash of record `ordinal`, computed from its stored values by the rules of `KeyHasher`.
    func hash(_ ordinal: Int) -> UInt64 {
        var hasher = KeyHasher()
        for component in components {
            guard let leafOrdinal = component.leafOrdinal(ordinal) else {
                hasher.combineNull()
                continue
            }
            let reader = component.leafReader
            let field = component.leaf
            if reader.isNull(leafOrdinal, field) {
                hasher.combineNull()
                continue
            }
            switch field.type {
            case .int: hasher.combine(UInt64(bitPattern: Int64(reader.int(leafOrdinal, field)!)))
            case .long: hasher.combine(UInt64(bitPattern: reader.long(leafOrdinal, field)!))
            case .reference: hasher.combine(UInt64(reader.reference(leafOrdinal, field)!))
            case .bool: hasher.combine(reader.bool(leafOrdinal, field)! ? 1 : 0)
            case .float: hasher.combine(UInt64(reader.float(leafOrdinal, field)!.bitPattern))
            case .double: hasher.combine(reader.double(leafOrdinal, field)!.bitPattern)
            case .string, .bytes: reader.withBytes(leafOrdinal, field) { hasher.combine(bytes: $0) }
            }
        }
        return hasher.finalize()
    }

    /// Whether records `a` and `b` of the indexed type have equal keys.
    func equalKeys(_ a: Int, _ b: Int) -> Bool {
        for component in components {
            let leafA = component.leafOrdinal(a)
            let leafB = component.leafOrdinal(b)
            guard let leafA, let leafB else {
                if (leafA == nil) != (leafB == nil) { return false }
                continue
            }
            let reader = component.leafReader
            let field = component.leaf
            let nullA = reader.isNull(leafA, field)
            guard nullA == reader.isNull(leafB, field) else { return false }
            if nullA { continue }
            if field.type.isVariableLength {
                let equal = reader.withBytes(leafA, field) { reader.bytesEqual(leafB, field, $0) } ?? false
                if !equal { return false }
            } else if reader.raw(leafA, field) != reader.raw(leafB, field) {
                return false
            }
        }
        return true
    }
}
