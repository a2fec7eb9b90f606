/// The storage of one type in a read state, split by ordinal range into shards of
/// `2^shardBits` ordinals, each a `TypeData` of its own (ordinals local to the shard, pools whose
/// end offsets start at 0) with one layout (column widths, pool element bits) and one set of
/// coding tables and dictionaries. A delta builds again only the shards it
/// adds records to: a shard it leaves alone is shared with the state before, and one it only
/// removes records from keeps its records and pools under new populated bits, the removed
/// records left in place (`holdsRemoved`) until a later delta builds that shard again. So the
/// memory a delta needs beside the state it applies to follows the shards it touches, not the
/// size of the type (the producer places added records in as few shards as it can).
///
/// A type of at most `2^shardBits` ordinals is one shard, and so is every type of a state loaded
/// with `TypeShards.whole` (the producer's own states, which its write state reads as one storage).
struct TypeShards: Sendable {
    /// Ordinals a shard holds, as a power of two.
    let shardBits: Int
    var shards: [TypeData]
    /// Per shard: whether it still holds records a delta removed (values in ordinals that hold no
    /// record, which a built or loaded storage never has).
    var holdsRemoved: [Bool]
    /// One bit per ordinal of the whole type, the shards' populated bits side by side: what
    /// readers iterate and check, in one place.
    var populated: BitStorage
    var populatedCount: Int

    /// Bits of a shard's ordinals when a consumer loads a type (65,536 ordinals a shard).
    static let defaultShardBits = 16
    /// Bits that make every type one shard.
    static let whole = 62

    /// One past the highest ordinal.
    var ordinalCount: Int { ((shards.count - 1) << shardBits) + shards[shards.count - 1].ordinalCount }
    var widths: [Int] { shards[0].widths }
    var offsets: [Int] { shards[0].offsets }
    var recordBits: Int { shards[0].recordBits }
    var shardOrdinals: Int { 1 << shardBits }

    /// `data` as the one shard of a type.
    init(whole data: TypeData) {
        shardBits = TypeShards.whole
        shards = [data]
        holdsRemoved = [false]
        populated = data.populated
        populatedCount = data.populatedCount
    }

    /// `populated`: the shards' populated bits side by side, when the caller has them (a type
    /// split after it was read whole); else they are copied from the shards.
    init(shardBits: Int, shards: [TypeData], holdsRemoved: [Bool], populated: BitStorage? = nil) {
        precondition(!shards.isEmpty && shards.count == holdsRemoved.count, "a type of no shards")
        self.shardBits = shardBits
        self.shards = shards
        self.holdsRemoved = holdsRemoved
        populatedCount = shards.reduce(0) { $0 + $1.populatedCount }
        if shards.count == 1 {
            self.populated = shards[0].populated
        } else if let populated {
            self.populated = populated
        } else {
            let count = ((shards.count - 1) << shardBits) + shards[shards.count - 1].ordinalCount
            let all = BitStorage(bitCount: count)
            for (index, shard) in shards.enumerated() {
                all.handle.copyBits(from: shard.populated.handle, sourceBit: 0, to: index << shardBits, count: shard.ordinalCount)
            }
            self.populated = all
        }
    }

    /// The one storage of a type loaded whole (the producer's states); traps on a split type.
    var whole: TypeData {
        precondition(shards.count == 1, "a type split in \(shards.count) shards read as one storage")
        return shards[0]
    }

    @inline(__always)
    func isPopulated(_ ordinal: Int) -> Bool {
        populated.handle.read(bit: ordinal, width: 1, mask: 1) != 0
    }

    /// The shard that holds `ordinal`, and the ordinal's place in it.
    @inline(__always)
    func shard(of ordinal: Int) -> (data: TypeData, ordinal: Int) {
        (shards[ordinal >> shardBits], ordinal & (shardOrdinals - 1))
    }

    @inline(__always)
    func value(_ ordinal: Int, _ column: Int) -> UInt64 {
        shards[ordinal >> shardBits].value(ordinal & (shardOrdinals - 1), column)
    }

    func freezeStorage() {
        populated.freeze()
        for shard in shards { shard.freezeStorage() }
    }
}
