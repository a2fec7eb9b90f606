/// A named field of an object type.
public struct FieldSchema: Hashable, Sendable {
    public var name: String
    public var type: FieldType
    public var isNullable: Bool

    public init(_ name: String, _ type: FieldType, nullable: Bool = false) {
        self.name = name
        self.type = type
        self.isNullable = nullable
    }
}
