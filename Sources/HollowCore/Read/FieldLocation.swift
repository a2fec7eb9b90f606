/// Where one field lies in its type's storage, as the read path reads it: the shard table, the
/// field's bits in a record, and for a string or bytes field its pool (or dictionary) and coding
/// table. Plain values and pointers into immutable storage, copied without reference counting;
/// valid while the state it was made from is. `FieldHandle` and `IndexedField` read through one.
@usableFromInline
struct FieldLocation: @unchecked Sendable {  // pointers into immutable storage
    @usableFromInline let table: ShardTable.Reader
    @usableFromInline let bitOffset: Int
    @usableFromInline let width: Int
    @usableFromInline let mask: UInt64
    /// Bit offset of the null flag in the record, or -1 when the field cannot be null.
    @usableFromInline let nullBitOffset: Int
    /// The index of a string or bytes field's pool among the type's pools, or -1.
    @usableFromInline let pool: Int
    /// The table the pool's values are coded with, when they are.
    @usableFromInline let symbols: SymbolTable.Decoder?
    /// The entries of the field's dictionary, when the records hold entries of one, and the
    /// dictionary's pool, where their values lie (then `symbols` is the dictionary's).
    @usableFromInline let dictionary: DictionaryEntries?
    @usableFromInline let dictionaryPool: BitStorage._UnsafeHandle?

    init(slot: TypePlan.FieldSlot, table: ShardTable) {
        let data = table.storage.shards[0]
        self.table = table.reader
        bitOffset = data.offsets[slot.valueColumn]
        width = data.widths[slot.valueColumn]
        mask = BitWidth.mask(width)
        nullBitOffset = slot.nullColumn.map { data.offsets[$0] } ?? -1
        pool = slot.pool ?? -1
        let dictionaryData = slot.pool.flatMap { data.pools[$0].dictionary }
        symbols = (dictionaryData.map { $0.pools[0].symbols } ?? slot.pool.flatMap { data.pools[$0].symbols })?.decoder
        dictionary = dictionaryData.map(DictionaryEntries.init)
        dictionaryPool = dictionaryData?.pools[0].storage.handle
    }

    /// The field's stored bits in record `ordinal` (checked by the caller against the ordinal count).
    @inlinable @inline(__always)
    func raw(_ ordinal: Int) -> UInt64 {
        table.read(ordinal, offset: bitOffset, width: width, mask: mask)
    }

    @inlinable @inline(__always)
    func isNull(_ ordinal: Int) -> Bool {
        nullBitOffset >= 0 && table.read(ordinal, offset: nullBitOffset, width: 1, mask: 1) != 0
    }

    /// Where the bytes of a string or bytes field of record `ordinal` lie: its shard's pool and
    /// the run from the previous record's end (0 for the shard's first) to its own, or the run of
    /// its entry in the field's dictionary.
    @inlinable @inline(__always)
    func run(_ ordinal: Int) -> (pool: BitStorage._UnsafeHandle, start: Int, count: Int) {
        if let dictionary {
            let (start, count) = dictionary.run(Int(truncatingIfNeeded: raw(ordinal)))
            return (dictionaryPool.unsafelyUnwrapped, start, count)
        }
        return table.run(ordinal, pool: pool, offset: bitOffset, width: width, mask: mask)
    }
}
