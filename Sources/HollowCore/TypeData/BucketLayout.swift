/// The per-record hash tables of sets and maps: a power-of-two number of buckets, an element placed
/// by the hash of its ordinal with linear probing. Part of the blob format (HollowCore.docc/BlobFormat.md): a
/// reader finds an element by the same rule.
@usableFromInline
enum BucketLayout {
    /// Buckets for `count` elements: the smallest power of two with a load of at most 80%.
    static func bucketCount(for count: Int) -> Int {
        guard count > 0 else { return 0 }
        var buckets = 1
        while buckets * 4 < count * 5 { buckets <<= 1 }
        return buckets
    }

    /// The first bucket to probe for `ordinal` (murmur3's 64-bit finaliser).
    @inlinable @inline(__always)
    static func home(of ordinal: UInt64, bucketMask: Int) -> Int {
        Int(truncatingIfNeeded: Murmur3.fmix64(ordinal)) & bucketMask
    }
}
