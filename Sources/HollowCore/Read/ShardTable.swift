/// Where each shard of a type's storage lies, for the read path: per shard, a handle on its
/// records followed by one on each of its pools, in one buffer that a read indexes by the shard
/// of its ordinal (one load, in cache for any type a service reads often). Made once per type of
/// a state; it keeps that storage alive, so a handle on it stays valid while the table is.
@usableFromInline
final class ShardTable: @unchecked Sendable {  // an immutable buffer of pointers into immutable storage
    let storage: TypeShards
    private let buffer: UnsafeMutableBufferPointer<BitStorage._UnsafeHandle>
    let reader: Reader

    init(_ storage: TypeShards) {
        self.storage = storage
        let stride = 1 + storage.shards[0].pools.count
        buffer = .allocate(capacity: storage.shards.count * stride)
        for (shard, data) in storage.shards.enumerated() {
            precondition(data.pools.count == stride - 1, "shards of different pools")
            buffer[shard * stride] = data.fixed.handle
            for (index, pool) in data.pools.enumerated() { buffer[shard * stride + 1 + index] = pool.storage.handle }
        }
        reader = Reader(handles: UnsafePointer(buffer.baseAddress!), stride: stride, shardBits: storage.shardBits,
                        recordBits: storage.recordBits, shardCount: storage.shards.count)
    }

    deinit { buffer.deallocate() }

    /// The table as reads use it: plain values, copied without reference counting.
    @usableFromInline
    struct Reader: @unchecked Sendable {
        /// Identifies the table (and so the state) a handle was made for.
        @usableFromInline let handles: UnsafePointer<BitStorage._UnsafeHandle>
        @usableFromInline let stride: Int
        @usableFromInline let shardBits: Int
        @usableFromInline let localMask: Int
        @usableFromInline let recordBits: Int
        @usableFromInline let shardCount: Int

        init(handles: UnsafePointer<BitStorage._UnsafeHandle>, stride: Int, shardBits: Int, recordBits: Int, shardCount: Int) {
            self.handles = handles
            self.stride = stride
            self.shardBits = shardBits
            localMask = (1 << shardBits) &- 1
            self.recordBits = recordBits
            self.shardCount = shardCount
        }

        /// The records of `ordinal`'s shard, and the bit where its record starts in them. The
        /// caller has checked `ordinal` against the type's ordinal count.
        @inlinable @inline(__always)
        func record(_ ordinal: Int) -> (records: BitStorage._UnsafeHandle, bit: Int) {
            let shard = ordinal &>> shardBits
            assert(shard < shardCount, "ordinal past the last shard")
            return (handles[shard &* stride], (ordinal & localMask) &* recordBits)
        }

        /// Reads the `width`-bit value at `offset` in record `ordinal`.
        @inlinable @inline(__always)
        func read(_ ordinal: Int, offset: Int, width: Int, mask: UInt64) -> UInt64 {
            let (records, bit) = record(ordinal)
            return records.read(bit: bit &+ offset, width: width, mask: mask)
        }

        /// The run of record `ordinal` in pool `pool` (whose end offsets lie at `offset` in the
        /// records, `width` bits wide): the shard's pool and where the run lies in it.
        @inlinable @inline(__always)
        func run(_ ordinal: Int, pool: Int, offset: Int, width: Int, mask: UInt64) -> (pool: BitStorage._UnsafeHandle, start: Int, count: Int) {
            let shard = ordinal &>> shardBits
            assert(shard < shardCount, "ordinal past the last shard")
            let local = ordinal & localMask
            let records = handles[shard &* stride]
            let bit = local &* recordBits &+ offset
            let end = Int(truncatingIfNeeded: records.read(bit: bit, width: width, mask: mask))
            let start = local == 0 ? 0 : Int(truncatingIfNeeded: records.read(bit: bit &- recordBits, width: width, mask: mask))
            return (handles[shard &* stride &+ 1 &+ pool], start, end &- start)
        }
    }
}
