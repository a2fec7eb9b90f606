/// An index the consumer keeps on every state it serves, updated from each delta's changes.
public struct IndexDefinition: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// One record per key (`PrimaryKeyIndex`).
        case primaryKey
        /// Any number of records per key (`HashIndex`).
        case hash
    }

    /// How readers ask for it: `state.primaryKeyIndex(name)` / `state.hashIndex(name)`.
    public let name: String
    public let kind: Kind
    public let type: String
    /// Dotted paths of the key fields; nil for the primary key the schema declares.
    public let fields: [String]?

    /// The primary-key index of `type`, named after the type.
    public static func primaryKey(_ type: String, fields: [String]? = nil, name: String? = nil) -> IndexDefinition {
        IndexDefinition(name: name ?? type, kind: .primaryKey, type: type, fields: fields)
    }

    /// A hash index of `type` on `fields`, named `name`.
    public static func hash(_ name: String, type: String, fields: [String]) -> IndexDefinition {
        IndexDefinition(name: name, kind: .hash, type: type, fields: fields)
    }
}
