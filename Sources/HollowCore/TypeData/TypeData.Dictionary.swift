/// A per-field dictionary of repeated values: a string or bytes field whose records repeat a few
/// values (a package's section, maintainer or architecture; a project's release month) stores
/// each distinct value once, and each record holds the entry of its value, a few bits wide,
/// instead of an end offset into a pool of every record's bytes. The record's column holds the
/// entry plus one: 0 is no value (a null, or an ordinal without a record), which reads as empty,
/// as it does from a plain pool.
///
/// The dictionary is itself the storage of a one-field type (`TypePlan.dictionary`): an entry is
/// an ordinal of it, its value that ordinal's run in its byte pool (coded with a symbol table of
/// its own, or not). So it changes along a chain as any type does: a delta removes the entries no
/// record holds any more and adds the new ones, entries keep their ordinals while they are held,
/// and a freed entry is reused from the next state on.
extension TypeData {
    /// Bytes resident for this storage: the populated bits, the records and every pool.
    var residentBytes: Int {
        populated.residentBytes + fixed.residentBytes + pools.reduce(0) { $0 + $1.residentBytes }
    }

    /// The pools coded by a dictionary, by the end column that indexes them (which then holds entries).
    func dictionaryColumns(_ plan: TypePlan) -> Set<Int> {
        Set(plan.pools.indices.filter { pools[$0].isDictionaryCoded }.map { plan.pools[$0].endColumn })
    }
}

extension TypePlan {
    /// The plan of every dictionary: one string field, `value`, whose runs are the entries' values.
    static let dictionary = TypePlan(.object(ObjectSchema("dictionary", fields: [FieldSchema("value", .bytes)])))
}

/// The entries of a dictionary as the read path follows them: where each entry's value ends in
/// the dictionary's byte pool. Plain pointers into immutable storage, copied without reference
/// counting; valid while the state holding the dictionary is.
@usableFromInline
struct DictionaryEntries: @unchecked Sendable {  // pointers into immutable storage
    /// The dictionary's records: one end-offset column, so a record is `width` bits.
    @usableFromInline let ends: BitStorage._UnsafeHandle
    @usableFromInline let width: Int
    @usableFromInline let mask: UInt64

    init(_ dictionary: TypeData) {
        ends = dictionary.fixed.handle
        width = dictionary.widths[0]
        mask = BitWidth.mask(width)
    }

    /// The run in the dictionary's pool of the value a record's column holds (`column`: the
    /// entry plus one; 0, no value, an empty run). Checked when loaded: a record holds 0 or a
    /// populated entry plus one.
    @inlinable @inline(__always)
    func run(_ column: Int) -> (start: Int, count: Int) {
        guard column != 0 else { return (0, 0) }
        let entry = column &- 1
        let end = Int(truncatingIfNeeded: ends.read(bit: entry &* width, width: width, mask: mask))
        let start = entry == 0 ? 0 : Int(truncatingIfNeeded: ends.read(bit: (entry &- 1) &* width, width: width, mask: mask))
        return (start, end &- start)
    }
}
