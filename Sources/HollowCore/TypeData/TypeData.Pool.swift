extension TypeData {
    /// A pool of one type's variable-length data: bytes of strings, or ordinals of list, set and map
    /// elements, bit-packed at `unitBits` each.
    struct Pool: Sendable {
        /// Bits per element (8 for byte pools).
        var unitBits: Int
        /// Elements in the pool.
        var count: Int
        var storage: BitStorage

        init(unitBits: Int, count: Int) {
            self.unitBits = unitBits
            self.count = count
            storage = BitStorage(bitCount: unitBits * count)
        }

        init(unitBits: Int, count: Int, storage: BitStorage) {
            self.unitBits = unitBits
            self.count = count
            self.storage = storage
        }

        @inline(__always)
        func element(_ index: Int) -> UInt64 {
            storage.handle.read(bit: index &* unitBits, width: unitBits, mask: BitWidth.mask(unitBits))
        }
    }
}
