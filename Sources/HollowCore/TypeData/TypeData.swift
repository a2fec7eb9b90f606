/// The storage of one type in one state: which ordinals are populated, the bit-packed records and
/// the pools. Immutable once built; a delta builds a new `TypeData` and leaves this one to the
/// readers that still hold it.
struct TypeData: Sendable {
    /// One past the highest ordinal this state has room for.
    var ordinalCount: Int
    /// One bit per ordinal.
    var populated: BitStorage
    var populatedCount: Int
    var widths: [Int]
    var offsets: [Int]
    var recordBits: Int
    var fixed: BitStorage
    var pools: [Pool]

    init(ordinalCount: Int, widths: [Int], pools: [Pool]) {
        self.init(shapeOnlyOrdinalCount: ordinalCount, widths: widths)
        populated = BitStorage(bitCount: ordinalCount)
        fixed = BitStorage(bitCount: ordinalCount * recordBits)
        self.pools = pools
    }

    /// Computes the layout for `widths` (each column's offset in a record) but leaves the storage
    /// empty, for a reader to fill in.
    init(shapeOnlyOrdinalCount ordinalCount: Int, widths: [Int]) {
        self.ordinalCount = ordinalCount
        self.widths = widths
        var offsets: [Int] = []
        var bits = 0
        for width in widths {
            offsets.append(bits)
            bits += width
        }
        self.offsets = offsets
        recordBits = bits
        populated = TypeData.empty
        populatedCount = 0
        fixed = TypeData.empty
        pools = []
    }

    private static let empty = BitStorage(bitCount: 0)

    @inline(__always)
    func isPopulated(_ ordinal: Int) -> Bool {
        populated.handle.read(bit: ordinal, width: 1, mask: 1) != 0
    }

    func setPopulated(_ ordinal: Int, _ value: Bool) {
        populated.handle.write(bit: ordinal, width: 1, value: value ? 1 : 0)
    }

    @inline(__always)
    func value(_ ordinal: Int, _ column: Int) -> UInt64 {
        fixed.handle.read(bit: ordinal &* recordBits &+ offsets[column], width: widths[column], mask: BitWidth.mask(widths[column]))
    }

    func setValue(_ ordinal: Int, _ column: Int, _ value: UInt64) {
        fixed.handle.write(bit: ordinal * recordBits + offsets[column], width: widths[column], value: value)
    }

    /// The run of pool elements of `ordinal` in pools indexed by `endColumn`.
    @inline(__always)
    func poolRange(_ ordinal: Int, endColumn: Int) -> Range<Int> {
        let end = Int(truncatingIfNeeded: value(ordinal, endColumn))
        let start = ordinal == 0 ? 0 : Int(truncatingIfNeeded: value(ordinal &- 1, endColumn))
        return start..<end
    }

    /// Marks every storage of this type as published (see `BitStorage.freeze()`).
    func freezeStorage() {
        populated.freeze()
        fixed.freeze()
        for pool in pools {
            pool.storage.freeze()
            pool.dictionary?.freezeStorage()
        }
    }

    /// Counts the populated bits again (after they were written one by one).
    mutating func recountPopulated() {
        var count = 0
        let words = (ordinalCount + 63) >> 6
        for word in 0..<words {
            count += populated.handle.load(byteOffset: word << 3).nonzeroBitCount
        }
        populatedCount = count
    }

    /// Iterates populated ordinals in ascending order.
    func forEachPopulated(_ body: (Int) throws -> Void) rethrows {
        let words = (ordinalCount + 63) >> 6
        for word in 0..<words {
            var bits = populated.handle.load(byteOffset: word << 3)
            while bits != 0 {
                let ordinal = (word << 6) + bits.trailingZeroBitCount
                try body(ordinal)
                bits &= bits &- 1
            }
        }
    }
}
