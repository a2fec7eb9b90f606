/// A field of an object type, resolved against one read state for fast reads. Get one from
/// `ObjectTypeReadState.field(_:)` and use it only with the state it came from (checked).
public struct FieldHandle: @unchecked Sendable {  // pointers into immutable storage
    public let isNullable: Bool
    public let index: Int
    /// The value's kind, for the read path's checks: a plain value (`type` may hold a name).
    @usableFromInline let kind: IndexedField.Kind
    @usableFromInline let token: UnsafeRawPointer
    @usableFromInline let bitOffset: Int
    @usableFromInline let width: Int
    @usableFromInline let mask: UInt64
    /// Bit offset of the null flag in the record, or -1 when the field cannot be null.
    @usableFromInline let nullBitOffset: Int
    /// Pool of a string or bytes field.
    @usableFromInline let pool: BitStorage._UnsafeHandle?
    /// The table the pool's values are coded with, when they are.
    @usableFromInline let symbols: SymbolTable.Decoder?
    /// The entries of the field's dictionary, when the records hold entries of one (then `pool`
    /// and `symbols` are the dictionary's).
    @usableFromInline let dictionary: DictionaryEntries?
    /// The name, the type and the storage the pointers above point into: the only reference a
    /// handle holds, so that copying one (services do per request) counts one reference, not six.
    let owner: Owner

    public var name: String { owner.name }
    public var type: FieldType { owner.type }

    init(schema: FieldSchema, index: Int, slot: TypePlan.FieldSlot, data: TypeData) {
        isNullable = schema.isNullable
        self.index = index
        kind = schema.type.kind
        token = UnsafeRawPointer(data.fixed.handle.base)
        bitOffset = data.offsets[slot.valueColumn]
        width = data.widths[slot.valueColumn]
        mask = BitWidth.mask(width)
        nullBitOffset = slot.nullColumn.map { data.offsets[$0] } ?? -1
        // A dictionary's values lie in its own one pool.
        let dictionaryData = slot.pool.flatMap { data.pools[$0].dictionary }
        let pool = slot.pool.map { dictionaryData?.pools[0] ?? data.pools[$0] }
        self.pool = pool?.storage.handle
        symbols = pool?.symbols?.decoder
        dictionary = dictionaryData.map(DictionaryEntries.init)
        owner = Owner(name: schema.name, type: schema.type, records: data.fixed, pool: pool?.storage, symbols: pool?.symbols,
                      entries: dictionaryData?.fixed)
    }

    /// What a handle keeps alive: the storage its pointers point into, so that a handle outliving
    /// its state can never match the storage of another state allocated at the same address.
    final class Owner: Sendable {
        let name: String
        let type: FieldType
        let records: BitStorage
        let pool: BitStorage?
        let symbols: SymbolTable?
        let entries: BitStorage?

        init(name: String, type: FieldType, records: BitStorage, pool: BitStorage?, symbols: SymbolTable?, entries: BitStorage?) {
            self.name = name
            self.type = type
            self.records = records
            self.pool = pool
            self.symbols = symbols
            self.entries = entries
        }
    }
}

extension FieldHandle {
    /// Bits the field takes in every record of the bit-packed record array: its value's width in
    /// this state, plus the null flag of a nullable field.
    public var bitsPerRecord: Int { width + (nullBitOffset >= 0 ? 1 : 0) }
}
