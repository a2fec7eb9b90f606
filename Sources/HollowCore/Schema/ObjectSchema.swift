/// An object type: named fields, and optionally a primary key.
public struct ObjectSchema: Hashable, Sendable {
    public var name: String
    public var fields: [FieldSchema]
    /// Field paths making up the primary key; a path follows references with dots (`director.name`).
    public var primaryKey: [String]?

    public init(_ name: String, fields: [FieldSchema], primaryKey: [String]? = nil) {
        self.name = name
        self.fields = fields
        self.primaryKey = primaryKey
    }

    public func fieldIndex(_ name: String) -> Int? { fields.firstIndex { $0.name == name } }
}
