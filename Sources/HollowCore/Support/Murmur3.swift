/// MurmurHash3's 64-bit finaliser, the one mixing step the core's hashes share: record hashes of the
/// write state's dedup table, index key hashes, and the home bucket of a set or map element. The
/// last decides where elements sit in a blob (HollowCore.docc/BlobFormat.md), so this function must never change.
@usableFromInline
enum Murmur3 {
    /// `fmix64` of the reference implementation: every bit of `value` affects every bit of the result.
    @inlinable @inline(__always)
    static func fmix64(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash &>> 33
        hash &*= 0xff51afd7ed558ccd
        hash ^= hash &>> 33
        hash &*= 0xc4ceb9fe1a85ec53
        hash ^= hash &>> 33
        return hash
    }
}
