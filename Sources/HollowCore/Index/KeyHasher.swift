/// Hashes index keys. A stored field and the Swift value that looks it up must hash alike, so the
/// rules are by value: integers (int, long, ordinal) as 64-bit integers, floats and doubles by bit
/// pattern, bools as 0 or 1, strings and bytes by their bytes, null as a constant of its own.
public struct KeyHasher {
    @usableFromInline var state: UInt64 = 0x2545F4914F6CDD1D

    @inlinable
    public init() {}

    @inlinable @inline(__always)
    public mutating func combine(_ value: UInt64) {
        state = ((state &<< 5) | (state &>> 59)) ^ value
        state &*= 0x9E3779B97F4A7C15
    }

    @inlinable
    public mutating func combine(bytes: UnsafeRawBufferPointer) {
        var offset = 0
        let count = bytes.count
        while offset &+ 8 <= count {
            combine(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset &+= 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(bytes[offset]) &<< shift
            shift &+= 8
            offset &+= 1
        }
        combine(tail ^ (UInt64(count) &<< 56))
    }

    @inlinable
    public mutating func combineNull() { combine(0x6E756C6C6E756C6C) }

    @inlinable
    public func finalize() -> UInt64 { Murmur3.fmix64(state) }
}
