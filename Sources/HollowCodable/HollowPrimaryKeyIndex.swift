import HollowCore

/// Finds a `Decodable` value by its primary key: a `PrimaryKeyIndex` on the type of `Value`, with
/// a decoder for the values it finds. The key is the one the schema declares for the type (from
/// `HollowPrimaryKeyed` when the schema was derived), else `Value.hollowPrimaryKey`, else `fields`.
/// Immutable and `Sendable`; `updated(to:)` follows a delta.
///
///     let movies = try HollowPrimaryKeyIndex<Movie>(state)
///     let movie = try movies.value(for: 42)          // or try movies[42]
///     let person = try HollowPrimaryKeyIndex<Person>(state).value(for: "Ann", 1970)
///
/// Key components are `IndexKeyComponent`s in the order of the key's fields: integers, `Bool`,
/// `Float`, `Double`, `String`, `[UInt8]`, `UUID`, `Date`, optionals of these; pass a raw-value
/// enum's `rawValue`.
public struct HollowPrimaryKeyIndex<Value: Decodable>: Sendable {
    public let index: PrimaryKeyIndex
    public let decoder: HollowDecoder

    public init(_ state: ReadState, typeName: String? = nil, fields: [String]? = nil) throws(HollowCodableError) {
        let name = typeName ?? HollowTypeNaming.name(of: Value.self)
        let key = fields ?? (state.schema.object(name)?.primaryKey == nil ? (Value.self as? any HollowPrimaryKeyed.Type)?.hollowPrimaryKey : nil)
        do { index = try PrimaryKeyIndex(state, type: name, fields: key) } catch { throw .index(error) }
        decoder = HollowDecoder(state)
    }

    private init(index: PrimaryKeyIndex, decoder: HollowDecoder) {
        self.index = index
        self.decoder = decoder
    }

    public var state: ReadState { index.state }

    /// The ordinal of the record whose key is `key`.
    @inlinable
    public func ordinal<each K: IndexKeyComponent>(_ key: repeat each K) -> Int? {
        index.ordinal(repeat each key)
    }

    /// The value whose key is `key`, decoded; nil when there is none.
    public func value<each K: IndexKeyComponent>(for key: repeat each K) throws(HollowCodableError) -> Value? {
        guard let ordinal = index.ordinal(repeat each key) else { return nil }
        return try decoder.decode(Value.self, ordinal: ordinal, as: index.type)
    }

    /// The value whose key is `key`, decoded; nil when there is none.
    public subscript<each K: IndexKeyComponent>(_ key: repeat each K) -> Value? {
        get throws(HollowCodableError) { try value(for: repeat each key) }
    }

    /// This index for `newState`, updated from the delta's changes when `newState` follows this
    /// index's state (see `PrimaryKeyIndex.updated(to:)`).
    public func updated(to newState: ReadState) throws(HollowCodableError) -> HollowPrimaryKeyIndex {
        do { return HollowPrimaryKeyIndex(index: try index.updated(to: newState), decoder: HollowDecoder(newState)) } catch {
            throw .index(error)
        }
    }
}
