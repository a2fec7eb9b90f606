import HollowCore

extension Schema {
    /// The schema of a `Decodable` type and of every type it contains, found without a value.
    ///
    /// - A struct (or class, or any type that decodes a keyed container) is an object type named
    ///   after the Swift type (`Schema.typeName(of:)`), with one field per coding key in the order
    ///   they are decoded; `decodeIfPresent` (optional properties) makes a field nullable. A
    ///   `HollowPrimaryKeyed` type declares its primary key, a `HollowTypeNamed` type its name.
    /// - Scalars are fields: `Int`, `Int64`, `UInt`, `UInt64`, `UInt32` are long (unsigned 64-bit
    ///   by bit pattern); `Int32`, `Int16`, `Int8`, `UInt16`, `UInt8` are int; `Float`, `Double`,
    ///   `Bool`, `String` are float, double, bool, string; `Data` is bytes; `Date` is a double of
    ///   seconds since 2001-01-01 (`timeIntervalSinceReferenceDate`, exact); `UUID` is its 16 bytes;
    ///   `URL` is its `absoluteString`. A raw-value enum is a field of its raw value.
    /// - A nested struct is a reference to its object type.
    /// - `[E]`, `Set<E>` and `[K: V]` are list, set and map types (`ListOfE`, `SetOfE`,
    ///   `MapOfKToV`). Their elements, keys and values are records: structs are their object types;
    ///   scalars, raw-value enums and optionals are wrapper object types with one field `value`
    ///   (`String`, `Long`, `Integer`, `Double`, `Boolean`, `Bytes`, `Date`, `UUID`, `URL`, the
    ///   enum's own name, `NullableLong`...), shared by every collection that holds them.
    /// - A type that decodes a single value is that value: its field inlined, and as a record a
    ///   wrapper type of its own name.
    ///
    /// Raw-value enums used as non-optional fields must be `CaseIterable` (or accept the raw value
    /// 0 or ""), so that discovery has a value to hand to the type that contains them. Recursive
    /// types, enums with associated values, nested and unkeyed containers, optionals of optionals
    /// are refused with a `HollowCodableError` naming the type and field.
    public init<T: Decodable>(deriving type: T.Type) throws(HollowCodableError) {
        try self.init(deriving: [type])
    }

    /// The schema of several root types together (types they share appear once).
    public init(deriving types: [any Decodable.Type]) throws(HollowCodableError) {
        let discovery = SchemaDiscovery()
        for type in types { try discovery.recordType(type) }
        do { self = try Schema(discovery.typeSchemas) } catch { throw .invalidSchema(error) }
    }
}
