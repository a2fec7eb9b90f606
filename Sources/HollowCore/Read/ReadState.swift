/// A consumer's in-memory dataset at one state: immutable once built, shared freely between
/// threads, and replaced as a whole. `applying(delta:)` builds the next state beside this one,
/// sharing the storage of every type the delta does not touch.
///
/// Read an object type's fields with ``objectType(_:)`` and a ``FieldHandle``, lists with
/// ``listType(_:)``, sets and maps with ``hashedType(_:)`` (<doc:WritingAndReadingStates>).
public final class ReadState: Sendable {
    /// The id of the state this holds; a delta is accepted only from the state it was made from.
    public let stateID: UInt64
    public let schema: Schema
    /// The state this one was made from by a delta; nil when it was loaded from a snapshot.
    public let originStateID: UInt64?
    let types: [String: TypeReadState]
    /// How types loaded into this state and those after it are split (`TypeShards`).
    let shardBits: Int

    init(stateID: UInt64, schema: Schema, types: [String: TypeReadState], originStateID: UInt64? = nil,
         shardBits: Int = TypeShards.whole) {
        self.stateID = stateID
        self.schema = schema
        self.types = types
        self.originStateID = originStateID
        self.shardBits = shardBits
        // Complete, and validated when it came from a blob.
        #if HOLLOW_INTERNAL_CHECKS
        for type in types.values { type.data._checkInvariants(plan: type.plan) }
        #endif
    }

    /// An empty state of `schema` (no records, state id 0).
    public convenience init(empty schema: Schema) {
        var types: [String: TypeReadState] = [:]
        for type in schema.types {
            let plan = TypePlan(type)
            types[type.name] = TypeReadState(schema: type, plan: plan, data: TypeDataBuilder(plan: plan).build(), changes: nil)
        }
        self.init(stateID: 0, schema: schema, types: types)
    }

    /// The shards a consumer's types are split in (bits of ordinals), and the value that keeps
    /// every type whole (a producer's states, which its write state reads as one storage each).
    package static let defaultShardBits = TypeShards.defaultShardBits
    package static let unsharded = TypeShards.whole

    /// Loads a snapshot blob. Each type of more than 65,536 ordinals is split in shards by
    /// ordinal range, so that a delta builds again only the shards it adds records to.
    public convenience init(snapshot blob: UnsafeRawBufferPointer) throws(BlobError) {
        try self.init(snapshot: blob, shardBits: TypeShards.defaultShardBits)
    }

    public convenience init(snapshot blob: [UInt8]) throws(BlobError) {
        try self.init(snapshot: blob, shardBits: TypeShards.defaultShardBits)
    }

    /// Loads a snapshot blob with each type split in shards of `2^shardBits` ordinals
    /// (`TypeShards.whole`: one storage a type, as a producer reads its states).
    package convenience init(snapshot blob: [UInt8], shardBits: Int) throws(BlobError) {
        let (stateID, schema, types) = try blob.withUnsafeBytesTyped { (bytes) throws(BlobError) in
            try BlobReader.readSnapshot(bytes, shardBits: shardBits)
        }
        self.init(stateID: stateID, schema: schema, types: types, shardBits: shardBits)
    }

    package convenience init(snapshot blob: UnsafeRawBufferPointer, shardBits: Int) throws(BlobError) {
        let (stateID, schema, types) = try BlobReader.readSnapshot(blob, shardBits: shardBits)
        self.init(stateID: stateID, schema: schema, types: types, shardBits: shardBits)
    }

    /// The state a delta (or reverse delta) blob leads to from this one. This state is unchanged.
    public func applying(delta blob: UnsafeRawBufferPointer) throws(BlobError) -> ReadState {
        try BlobReader.applyDelta(blob, to: self)
    }

    public func applying(delta blob: [UInt8]) throws(BlobError) -> ReadState {
        try blob.withUnsafeBytesTyped { (bytes) throws(BlobError) in try BlobReader.applyDelta(bytes, to: self) }
    }

    public func objectType(_ name: String) -> ObjectTypeReadState? {
        guard let state = types[name], case .object = state.schema else { return nil }
        return ObjectTypeReadState(state)
    }

    public func listType(_ name: String) -> ListTypeReadState? {
        guard let state = types[name], case .list = state.schema else { return nil }
        return ListTypeReadState(state)
    }

    /// A set or map type.
    public func hashedType(_ name: String) -> HashedCollectionReadState? {
        guard let state = types[name] else { return nil }
        switch state.schema {
        case .set, .map: return HashedCollectionReadState(state)
        default: return nil
        }
    }

    /// Records of type `name` (0 when there is no such type).
    public func recordCount(_ name: String) -> Int { types[name]?.data.populatedCount ?? 0 }

    /// What the delta that made this state changed in type `name`.
    public func changes(_ name: String) -> TypeChanges? { types[name]?.changes }
}
