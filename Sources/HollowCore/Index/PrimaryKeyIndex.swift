/// Finds the record of an object type by its primary key in O(1), comparing the key in place
/// (no `String` or array is built on the lookup path). Immutable, like the state it indexes;
/// `updated(to:)` follows a delta by changing only the records the delta removed and added.
///
///     let movies = try PrimaryKeyIndex(state, type: "Movie")        // the schema's key(id)
///     if let ordinal = movies.ordinal(Int64(42)) { ... }
///     let people = try PrimaryKeyIndex(state, type: "Person", fields: ["name", "country.code"])
///     people.ordinal("Ann", "NO")
public struct PrimaryKeyIndex: Sendable {
    @usableFromInline let core: IndexCore

    /// Indexes `type` on `fields` (dotted paths may follow references), by default the primary
    /// key the schema declares.
    public init(_ state: ReadState, type: String, fields: [String]? = nil) throws(IndexError) {
        guard let object = state.schema.object(type) else { throw .unknownType(type) }
        guard let paths = fields ?? object.primaryKey else { throw .noKeyFields(type: type) }
        core = try IndexCore(state: state, type: type, paths: paths)
    }

    init(core: IndexCore) { self.core = core }

    /// The state this index answers for.
    public var state: ReadState { core.state }
    public var type: String { core.key.type }
    public var fields: [String] { core.key.paths }

    /// Bytes the index holds: a hash table of 4-byte slots (at most half full) and a 4-byte chain
    /// entry per ordinal. Keys are not copied: a lookup compares the records' fields in place.
    public var memoryBytes: Int { core.table.memoryBytes }

    /// The ordinal of the record whose key fields equal `key`, in the order of `fields`.
    @inlinable
    public func ordinal<each K: IndexKeyComponent>(_ key: repeat each K) -> Int? {
        core.firstMatch(repeat each key)
    }

    /// The ordinal of the record whose one key field equals `key`.
    @inlinable
    public func ordinal<K: IndexKeyComponent>(_ key: K) -> Int? {
        core.firstMatch(key)
    }

    /// The ordinal of the record whose key fields equal `key`, one value per field in the order of
    /// `fields` (nil for a null): for keys known only at run time. Nil also when the count is wrong.
    public func ordinal(matching key: [FieldValue?]) -> Int? {
        core.firstMatch(values: key)
    }

    /// This index for `newState`: updated from the delta's removed and added ordinals when
    /// `newState` was made from this index's state by a delta, rebuilt otherwise.
    public func updated(to newState: ReadState) throws(IndexError) -> PrimaryKeyIndex {
        PrimaryKeyIndex(core: try core.updated(to: newState))
    }
}
