/// A field of an object type, resolved against one read state for fast reads. Get one from
/// `ObjectTypeReadState.field(_:)` and use it only with the state it came from (checked).
public struct FieldHandle: @unchecked Sendable {  // pointers into immutable storage
    public let isNullable: Bool
    public let index: Int
    /// The value's kind, for the read path's checks: a plain value (`type` may hold a name).
    @usableFromInline let kind: IndexedField.Kind
    /// Where the field lies in the state's storage (the state's identity too: its shard table).
    @usableFromInline let location: FieldLocation
    /// The name, the type and the storage the pointers above point into: the only reference a
    /// handle holds, so that copying one (services do per request) counts one reference, not six.
    let owner: Owner

    public var name: String { owner.name }
    public var type: FieldType { owner.type }

    init(schema: FieldSchema, index: Int, slot: TypePlan.FieldSlot, table: ShardTable) {
        isNullable = schema.isNullable
        self.index = index
        kind = schema.type.kind
        location = FieldLocation(slot: slot, table: table)
        owner = Owner(name: schema.name, type: schema.type, table: table)
    }

    /// What a handle keeps alive: the storage its pointers point into, so that a handle outliving
    /// its state can never match the storage of another state allocated at the same address.
    final class Owner: Sendable {
        let name: String
        let type: FieldType
        /// Keeps the storage alive, with its coding tables and dictionaries.
        let table: ShardTable

        init(name: String, type: FieldType, table: ShardTable) {
            self.name = name
            self.type = type
            self.table = table
        }
    }
}

extension FieldHandle {
    /// Bits the field takes in every record of the bit-packed record array: its value's width in
    /// this state, plus the null flag of a nullable field.
    public var bitsPerRecord: Int { location.width + (location.nullBitOffset >= 0 ? 1 : 0) }
}
