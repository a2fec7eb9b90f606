/// ZigZag maps signed integers to unsigned ones so that small magnitudes need few bits.
@usableFromInline
enum ZigZag {
    @inlinable @inline(__always)
    static func encode(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value &<< 1) ^ (value &>> 63)) }

    @inlinable @inline(__always)
    static func decode(_ value: UInt64) -> Int64 { Int64(bitPattern: (value &>> 1) ^ (0 &- (value & 1))) }
}
