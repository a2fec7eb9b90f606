/// Writes values of given widths one after another, from bit 0 of a `BitStorage`, least significant
/// bit first: the same bits as `_UnsafeHandle.write(bit:width:value:)` at increasing positions, but
/// one store per 64 bits instead of a read-modify-write per value. Used to pack a type's records,
/// written in ordinal order, into storage that need not be zeroed first.
///
/// Invariants: `used < 64`; the bits written so far are the stored words followed by the low
/// `used` bits of `pending`; a store never goes past `capacityWords`. `finish()` stores the last
/// partial word and zeroes any words left up to `capacityWords`, so that every data byte is written.
struct BitStreamWriter {
    private let base: UnsafeMutableRawPointer
    private let capacityWords: Int
    private var words = 0
    private var pending: UInt64 = 0
    private var used = 0

    init(_ storage: BitStorage) {
        storage.handle.assertWritable()
        base = storage.handle.base
        capacityWords = storage.byteCount >> 3
    }

    /// Bits written so far.
    var bitCount: Int { words &<< 6 &+ used }

    /// Appends the low `width` bits of `value` (`width` in 0...64; higher bits of `value` must be 0).
    @inline(__always)
    mutating func append(_ value: UInt64, width: Int) {
        assert(width >= 0 && width <= 64 && (width == 64 || value >> UInt64(width) == 0), "value wider than its width")
        guard width > 0 else { return }
        pending |= value &<< UInt64(used)
        let total = used &+ width
        if total >= 64 {
            store(pending)
            pending = used == 0 ? 0 : value &>> UInt64(64 &- used)
            used = total &- 64
        } else {
            used = total
        }
    }

    @inline(__always)
    private mutating func store(_ word: UInt64) {
        precondition(words < capacityWords, "bit stream past the end of its storage")
        base.storeBytes(of: word.littleEndian, toByteOffset: words &<< 3, as: UInt64.self)
        words &+= 1
    }

    /// Stores the last partial word and zeroes the rest of the storage.
    mutating func finish() {
        if used > 0 {
            store(pending)
            pending = 0
            used = 0
        }
        while words < capacityWords { store(0) }
    }
}
