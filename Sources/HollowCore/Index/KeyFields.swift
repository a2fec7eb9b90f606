/// The fields of an index key resolved against one read state: for each key field, the reference
/// fields crossed from the indexed type and the field read at the end. Held as plain values
/// (`IndexedField`s in flat arrays) so that hashing and comparing keys, on the lookup path and in a
/// build, copies no reference-counted value.
@usableFromInline
struct KeyFields: Sendable {
    /// A reference field crossed on the way to a key field, and the type it leads to.
    @usableFromInline
    struct Hop: Sendable {
        @usableFromInline let reference: IndexedField
        @usableFromInline let targetPopulated: BitStorage._UnsafeHandle
        @usableFromInline let targetOrdinalCount: Int
    }

    /// One key field: its hops are `hops[firstHop ..< firstHop + hopCount]`.
    @usableFromInline
    struct Field: Sendable {
        @usableFromInline let leaf: IndexedField
        @usableFromInline let firstHop: Int
        @usableFromInline let hopCount: Int
    }

    let type: String
    let paths: [String]
    /// The other types the key paths cross or end in.
    let pathTypes: Set<String>
    @usableFromInline let fields: [Field]
    @usableFromInline let hops: [Hop]
    /// The state the fields point into, kept alive with them.
    private let state: ReadState

    init(state: ReadState, type: String, paths: [String]) throws(IndexError) {
        guard state.objectType(type) != nil else { throw .unknownType(type) }
        guard !paths.isEmpty else { throw .noKeyFields(type: type) }
        self.type = type
        self.paths = paths
        self.state = state
        var fields: [Field] = []
        var hops: [Hop] = []
        var pathTypes: Set<String> = []
        for path in paths {
            let steps: [(type: ObjectSchema, fieldIndex: Int)]
            do { steps = try state.schema.resolve(path: path, from: type) } catch { throw .invalidPath(type: type, path: path, reason: error.description) }
            let firstHop = hops.count
            for (step, next) in zip(steps.dropLast(), steps.dropFirst()) {
                let reader = state.objectType(step.type.name)!
                let target = state.types[next.type.name]!.data
                hops.append(Hop(reference: IndexedField(reader.fields[step.fieldIndex], of: reader),
                                targetPopulated: target.populated.handle, targetOrdinalCount: target.ordinalCount))
            }
            let leafReader = state.objectType(steps.last!.type.name)!
            fields.append(Field(leaf: IndexedField(leafReader.fields[steps.last!.fieldIndex], of: leafReader),
                                firstHop: firstHop, hopCount: hops.count - firstHop))
            pathTypes.formUnion(steps.map(\.type.name))
        }
        self.fields = fields
        self.hops = hops
        self.pathTypes = pathTypes.subtracting([type])
    }

    /// The record holding key field `field`'s value for `ordinal` of the indexed type; nil when a
    /// reference on the way is null or leads to an ordinal that holds no record. Loading checks
    /// the references of records only: the fields of an empty ordinal are not followed.
    @inlinable @inline(__always)
    func leafOrdinal(_ field: Field, _ ordinal: Int) -> Int? {
        var ordinal = ordinal
        var index = field.firstHop
        let end = field.firstHop &+ field.hopCount
        while index < end {
            let hop = hops[index]
            guard let next = hop.reference.integer(ordinal), next >= 0, next < hop.targetOrdinalCount,
                  hop.targetPopulated.read(bit: Int(truncatingIfNeeded: next), width: 1, mask: 1) != 0
            else { return nil }
            ordinal = Int(truncatingIfNeeded: next)
            index &+= 1
        }
        return ordinal
    }

    /// The key hash of record `ordinal`, computed from its stored values by the rules of `KeyHasher`.
    func hash(_ ordinal: Int) -> UInt64 {
        var hasher = KeyHasher()
        for field in fields {
            guard let leafOrdinal = leafOrdinal(field, ordinal) else {
                hasher.combineNull()
                continue
            }
            let leaf = field.leaf
            if leaf.isNull(leafOrdinal) {
                hasher.combineNull()
                continue
            }
            switch leaf.kind {
            case .int, .long, .reference: hasher.combine(UInt64(bitPattern: leaf.integer(leafOrdinal)!))
            case .bool, .float, .double: hasher.combine(leaf.bitPattern(leafOrdinal)!)
            case .string, .bytes: leaf.withBytes(leafOrdinal) { hasher.combine(bytes: $0) }
            }
        }
        return hasher.finalize()
    }

    /// Whether records `a` and `b` of the indexed type have equal keys.
    func equalKeys(_ a: Int, _ b: Int) -> Bool {
        for field in fields {
            let leafA = leafOrdinal(field, a)
            let leafB = leafOrdinal(field, b)
            guard let leafA, let leafB else {
                if (leafA == nil) != (leafB == nil) { return false }
                continue
            }
            let leaf = field.leaf
            let nullA = leaf.isNull(leafA)
            guard nullA == leaf.isNull(leafB) else { return false }
            if nullA { continue }
            switch leaf.kind {
            case .string, .bytes:
                guard leaf.withBytes(leafA, { leaf.bytesEqual(leafB, $0) }) == true else { return false }
            default:
                guard leaf.raw(leafA) == leaf.raw(leafB) else { return false }
            }
        }
        return true
    }
}
