/// The ordinals that hold a record, in ascending order, read from the populated bits.
public struct PopulatedOrdinals: Sequence, Sendable {
    let storage: BitStorage
    let ordinalCount: Int
    public let count: Int

    public struct Iterator: IteratorProtocol {
        let handle: BitStorage._UnsafeHandle
        let words: Int
        var word = 0
        var bits: UInt64

        public mutating func next() -> Int? {
            while bits == 0 {
                word += 1
                if word >= words { return nil }
                bits = handle.load(byteOffset: word << 3)
            }
            let ordinal = (word << 6) | bits.trailingZeroBitCount
            bits &= bits &- 1
            return ordinal
        }
    }

    public func makeIterator() -> Iterator {
        let words = (ordinalCount + 63) >> 6
        return Iterator(handle: storage.handle, words: words, bits: words > 0 ? storage.handle.load(byteOffset: 0) : 0)
    }

    public var underestimatedCount: Int { count }
}
