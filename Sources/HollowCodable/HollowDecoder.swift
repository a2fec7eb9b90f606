import HollowCore

/// Decodes `Decodable` values from the records of a read state, with the values nested in them.
/// The readers of every type are resolved once, when the decoder is made; keep one per state for
/// repeated decodes. Immutable and `Sendable`, like the state.
///
///     let decoder = HollowDecoder(state)
///     let movie = try decoder.decode(Movie.self, ordinal: 3)
///     let all = try decoder.decodeAll(Movie.self)
public struct HollowDecoder: Sendable {
    public let state: ReadState
    let tables: ReadTables

    public init(_ state: ReadState) {
        self.state = state
        tables = ReadTables(state)
    }

    /// The record `ordinal` of the type of `T` (`Schema.typeName(of: T.self)`, or `typeName`).
    public func decode<T: Decodable>(_ type: T.Type, ordinal: Int, as typeName: String? = nil) throws(HollowCodableError) -> T {
        try DecodingContext(state: state, tables: tables)
            .decodeRecord(type, typeName: typeName ?? HollowTypeNaming.name(of: type), ordinal: ordinal)
    }

    /// Every record of the type of `T`, by ascending ordinal.
    public func decodeAll<T: Decodable>(_ type: T.Type, as typeName: String? = nil) throws(HollowCodableError) -> [T] {
        let name = typeName ?? HollowTypeNaming.name(of: type)
        let ordinals: PopulatedOrdinals
        if let reader = tables.objects[name]?.reader {
            ordinals = reader.ordinals
        } else if let reader = tables.lists[name] {
            ordinals = reader.ordinals
        } else if let reader = tables.hashed[name] {
            ordinals = reader.ordinals
        } else {
            throw .missingType(name: name, swiftType: "\(type)")
        }
        let context = DecodingContext(state: state, tables: tables)
        var values: [T] = []
        values.reserveCapacity(ordinals.count)
        for ordinal in ordinals { values.append(try context.decodeRecord(type, typeName: name, ordinal: ordinal)) }
        return values
    }
}

extension ReadState {
    /// The record `ordinal` of the type of `T`, decoded. For many decodes, keep a `HollowDecoder`.
    public func value<T: Decodable>(_ type: T.Type, ordinal: Int) throws(HollowCodableError) -> T {
        try DecodingContext(state: self, tables: nil).decodeRecord(type, typeName: HollowTypeNaming.name(of: type), ordinal: ordinal)
    }

    /// Every record of the type of `T`, decoded, by ascending ordinal.
    public func values<T: Decodable>(_ type: T.Type) throws(HollowCodableError) -> [T] {
        try HollowDecoder(self).decodeAll(type)
    }
}
