/// Arithmetic on bit widths of packed values.
@usableFromInline
enum BitWidth {
    /// The fewest bits that hold `value` (0 for 0).
    @inlinable
    static func needed(for value: UInt64) -> Int { 64 - value.leadingZeroBitCount }

    /// A mask of the low `width` bits; `width` is in `0...64`.
    @inlinable @inline(__always)
    static func mask(_ width: Int) -> UInt64 {
        width >= 64 ? ~0 : (UInt64(1) &<< UInt64(width)) &- 1
    }
}
