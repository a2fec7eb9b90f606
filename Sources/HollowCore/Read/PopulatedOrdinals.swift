/// The ordinals that hold a record, in ascending order, read from the populated bits.
public struct PopulatedOrdinals: Sequence, Sendable {
    @usableFromInline let storage: BitStorage
    @usableFromInline let ordinalCount: Int
    public let count: Int

    public struct Iterator: IteratorProtocol {
        @usableFromInline let handle: BitStorage._UnsafeHandle
        @usableFromInline let words: Int
        @usableFromInline var word = 0
        @usableFromInline var bits: UInt64

        @inlinable
        init(handle: BitStorage._UnsafeHandle, words: Int, bits: UInt64) {
            self.handle = handle
            self.words = words
            self.bits = bits
        }

        @inlinable @inline(__always)
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

    @inlinable
    public func makeIterator() -> Iterator {
        let words = (ordinalCount + 63) >> 6
        return Iterator(handle: storage.handle, words: words, bits: words > 0 ? storage.handle.load(byteOffset: 0) : 0)
    }

    public var underestimatedCount: Int { count }
}
