import HollowCore

/// Finds every `Decodable` value whose fields equal a key: a `HashIndex` on the type of `Value`,
/// with a decoder for the values it finds. Immutable and `Sendable`; `updated(to:)` follows a delta.
///
///     let byYear = try HollowHashIndex<Movie>(state, fields: ["year"])
///     let movies = try byYear.values(for: 1999)
public struct HollowHashIndex<Value: Decodable>: Sendable {
    public let index: HashIndex
    public let decoder: HollowDecoder

    public init(_ state: ReadState, typeName: String? = nil, fields: [String]) throws(HollowCodableError) {
        do { index = try HashIndex(state, type: typeName ?? HollowTypeNaming.name(of: Value.self), fields: fields) } catch {
            throw .index(error)
        }
        decoder = HollowDecoder(state)
    }

    private init(index: HashIndex, decoder: HollowDecoder) {
        self.index = index
        self.decoder = decoder
    }

    public var state: ReadState { index.state }

    /// The ordinals of the records whose key fields equal `key`, in no particular order.
    @inlinable
    public func ordinals<each K: IndexKeyComponent>(_ key: repeat each K) -> HashIndex.Matches {
        index.ordinals(repeat each key)
    }

    /// The values whose key fields equal `key`, decoded, by ascending ordinal.
    public func values<each K: IndexKeyComponent>(for key: repeat each K) throws(HollowCodableError) -> [Value] {
        var values: [Value] = []
        for ordinal in index.ordinals(repeat each key).sorted() {
            values.append(try decoder.decode(Value.self, ordinal: ordinal, as: index.type))
        }
        return values
    }

    public func updated(to newState: ReadState) throws(HollowCodableError) -> HollowHashIndex {
        do { return HollowHashIndex(index: try index.updated(to: newState), decoder: HollowDecoder(newState)) } catch {
            throw .index(error)
        }
    }
}
