/// Where each shard of a type's storage lies, for the read path: the base of each shard's records,
/// then of each shard's pool 0, pool 1 and so on, in one buffer that a read indexes by the shard of
/// its ordinal (one load, in cache for any type a service reads often). Made once per type of a
/// state; it keeps that storage alive, so a reader of it stays valid while the table is.
@usableFromInline
final class ShardTable: @unchecked Sendable {  // immutable buffers of pointers into immutable storage
    let storage: TypeShards
    private let bases: UnsafeMutableBufferPointer<UnsafeMutableRawPointer>
    /// Each storage's size in bits, beside its base, for the bounds checks of debug builds.
    private let capacities: UnsafeMutableBufferPointer<Int>
    let reader: Reader

    init(_ storage: TypeShards) {
        self.storage = storage
        let shardCount = storage.shards.count
        let storages = 1 + storage.shards[0].pools.count
        bases = .allocate(capacity: shardCount * storages)
        capacities = .allocate(capacity: shardCount * storages)
        for (shard, data) in storage.shards.enumerated() {
            precondition(data.pools.count == storages - 1, "shards of different pools")
            let handles = [data.fixed.handle] + data.pools.map(\.storage.handle)
            for (index, handle) in handles.enumerated() {
                bases[index * shardCount + shard] = handle.base
                capacities[index * shardCount + shard] = handle.bitCapacity
            }
        }
        reader = Reader(bases: UnsafePointer(bases.baseAddress!), capacities: UnsafePointer(capacities.baseAddress!),
                        shardBits: storage.shardBits, recordBits: storage.recordBits, shardCount: shardCount)
    }

    deinit {
        bases.deallocate()
        capacities.deallocate()
    }

    /// The table as reads use it: plain values, copied without reference counting.
    @usableFromInline
    struct Reader: @unchecked Sendable {
        /// Identifies the table (and so the state) a handle was made for.
        @usableFromInline let bases: UnsafePointer<UnsafeMutableRawPointer>
        @usableFromInline let capacities: UnsafePointer<Int>
        @usableFromInline let shardBits: Int
        @usableFromInline let localMask: Int
        @usableFromInline let recordBits: Int
        @usableFromInline let shardCount: Int

        init(bases: UnsafePointer<UnsafeMutableRawPointer>, capacities: UnsafePointer<Int>, shardBits: Int, recordBits: Int, shardCount: Int) {
            self.bases = bases
            self.capacities = capacities
            self.shardBits = shardBits
            localMask = (1 << shardBits) &- 1
            self.recordBits = recordBits
            self.shardCount = shardCount
        }

        /// Storage `index` (0: the records, 1 + n: pool n) of shard `shard`. Release builds skip the
        /// load of its size, which only the bounds checks of debug builds read.
        @inlinable @inline(__always)
        func handle(_ index: Int, shard: Int) -> BitStorage._UnsafeHandle {
            assert(shard >= 0 && shard < shardCount, "ordinal past the last shard")
            let slot = index &* shardCount &+ shard
            return BitStorage._UnsafeHandle(base: bases[slot], bitCapacity: _isDebugAssertConfiguration() ? capacities[slot] : .max)
        }

        /// The records of `ordinal`'s shard, and the bit where its record starts in them. The
        /// caller has checked `ordinal` against the type's ordinal count.
        @inlinable @inline(__always)
        func record(_ ordinal: Int) -> (records: BitStorage._UnsafeHandle, bit: Int) {
            (handle(0, shard: ordinal &>> shardBits), (ordinal & localMask) &* recordBits)
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
            let local = ordinal & localMask
            let records = handle(0, shard: shard)
            let bit = local &* recordBits &+ offset
            let end = Int(truncatingIfNeeded: records.read(bit: bit, width: width, mask: mask))
            let start = local == 0 ? 0 : Int(truncatingIfNeeded: records.read(bit: bit &- recordBits, width: width, mask: mask))
            return (handle(1 &+ pool, shard: shard), start, end &- start)
        }
    }
}
