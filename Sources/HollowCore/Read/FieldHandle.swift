/// A field of an object type, resolved against one read state for fast reads. Get one from
/// `ObjectTypeReadState.field(_:)` and use it only with the state it came from (checked).
public struct FieldHandle: @unchecked Sendable {  // pointers into immutable storage
    public let name: String
    public let type: FieldType
    public let isNullable: Bool
    public let index: Int
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
    /// The storage `token`, `pool`, `symbols` and `dictionary` point into, kept alive by the
    /// handle: a handle outliving its state can never match the storage of another state
    /// allocated at the same address.
    let storage: (records: BitStorage, pool: BitStorage?, symbols: SymbolTable?, entries: BitStorage?)

    init(schema: FieldSchema, index: Int, slot: TypePlan.FieldSlot, data: TypeData) {
        name = schema.name
        type = schema.type
        isNullable = schema.isNullable
        self.index = index
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
        storage = (data.fixed, pool?.storage, pool?.symbols, dictionaryData?.fixed)
    }
}

extension FieldHandle {
    /// Bits the field takes in every record of the bit-packed record array: its value's width in
    /// this state, plus the null flag of a nullable field.
    public var bitsPerRecord: Int { width + (nullBitOffset >= 0 ? 1 : 0) }
}
