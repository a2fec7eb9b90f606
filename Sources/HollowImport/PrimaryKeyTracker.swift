import HollowCore
import Synchronization

/// Remembers where each primary key of a type was first seen, so that a second, different record
/// with the same key is refused with both places named. (Identical records are one record, so a
/// line repeated word for word is not a conflict.) Keys are compared as the core compares them, by
/// their bytes: UTF-8 as written, floating-point bit patterns. Keys that follow references
/// (`director.name`) are left to the write state, which checks every key when the blobs are written.
///
/// Only 32 bits of each key's hash and its first place are kept, not its bytes: when they are met
/// again from another record, the key of the record first seen is read back from the write state
/// (`keyOfRecord`, a closure given to each `note`) and compared. A PyPI-sized import held 50 MB
/// of keys so, at the moment its write state was largest.
struct PrimaryKeyTracker: Sendable {
    struct FirstSeen: Sendable {
        let ordinal: UInt32
        let file: Int32
        let line: Int32

        func isBefore(_ other: FirstSeen) -> Bool { (file, line) < (other.file, other.line) }
    }

    /// The keys whose hash falls to one shard: readers of the parts of a file note keys of
    /// different shards side by side (`SharedKeyTracker`), each shard behind a lock of its own.
    struct Shard: Sendable {
        /// The keys' tags and first places in an open-addressing table (`KeyTable`), so that a key
        /// costs no allocation of its own (a million string keys as a `[[UInt8]: ...]` spent a
        /// fifth of an import in malloc, hashing and resizing).
        fileprivate var keys = KeyTable()

        /// Notes `key` (see `PrimaryKeyTracker.key`) as seen at `seen`; returns where a different
        /// record with the same key was seen first, if one was. The earliest place of each key is
        /// kept: parts of a file read side by side may note a later line first, and then the
        /// place returned is later than this one.
        fileprivate mutating func note(_ key: Key, bytes: UnsafeRawBufferPointer, _ seen: FirstSeen,
                                       keyOfRecord: (Int) -> [UInt8]?) -> (file: Int, line: Int)? {
            guard let first = keys.firstSeen(bytes, hash: key.hash, else: seen, keyOfRecord: keyOfRecord), first.ordinal != seen.ordinal
            else { return nil }
            return (Int(first.file), Int(first.line))
        }

        mutating func reserve(keys count: Int) { keys.reserve(count) }
    }

    /// A key as noted: the hash of its bytes (which the caller keeps), computed before any lock
    /// is taken.
    struct Key {
        var hash: UInt64

        /// The key whose bytes are `bytes`: the encodings of its fields
        /// (`ObjectRecordBatch.appendKeyBytes`, `ObjectRecord.appendKeyBytes`).
        init(_ bytes: UnsafeRawBufferPointer) {
            var hasher = KeyHasher()
            hasher.combine(bytes: bytes)
            hash = hasher.finalize()
        }
    }

    let fieldPositions: [Int]
    private(set) var shards: [Shard]

    /// Shards a key's hash is spread over: enough that two readers rarely wait on each other.
    static let shardCount = 16

    init(fieldPositions: [Int]) {
        self.fieldPositions = fieldPositions
        shards = Array(repeating: Shard(), count: Self.shardCount)
    }

    init(fieldPositions: [Int], shards: [Shard]) {
        self.fieldPositions = fieldPositions
        self.shards = shards
    }

    /// The shard of a key's hash (its high bits: the tables use the low ones).
    @inline(__always)
    static func shard(of key: Key) -> Int { Int(truncatingIfNeeded: key.hash >> 60) & (shardCount - 1) }

    /// Records that `ordinal` has the key whose bytes are `key`; returns where a different record
    /// with the same key was seen, if one was (see `Shard.note`). `keyOfRecord` gives the key bytes
    /// of a record noted before, by its ordinal.
    mutating func note(_ key: [UInt8], ordinal: Int, file: Int, line: Int, keyOfRecord: (Int) -> [UInt8]?) -> (file: Int, line: Int)? {
        key.withUnsafeBytes { bytes in
            let hashed = Key(bytes)
            return shards[Self.shard(of: hashed)].note(hashed, bytes: bytes, FirstSeen(ordinal: ordinal, file: file, line: line),
                                                         keyOfRecord: keyOfRecord)
        }
    }
}

extension PrimaryKeyTracker.FirstSeen {
    init(ordinal: Int, file: Int, line: Int) {
        self.init(ordinal: UInt32(truncatingIfNeeded: ordinal), file: Int32(truncatingIfNeeded: file), line: Int32(truncatingIfNeeded: line))
    }
}

extension PrimaryKeyTracker {
    /// Keys by their hash, each noted with where it was first seen: linear probing, at a load of
    /// at most one half, over slots that hold the high 32 bits of the key's hash (its tag, whose
    /// low bits are also the slot's home) and its entry + 1 in `seen`. A probe reads slots only,
    /// one cache miss for a new key, and the tags it passes are rarely equal: a key whose tag is
    /// met again is compared by its bytes (`keyOfRecord`), so no full hash needs keeping, and a
    /// larger table is made from the tags alone.
    struct KeyTable: Sendable {
        private var seen: [FirstSeen] = []
        private var slots: [UInt64] = Array(repeating: 0, count: 1024)

        private static let entryMask: UInt64 = 0xFFFF_FFFF

        /// Room for `count` keys in all, made at once instead of by doublings.
        mutating func reserve(_ count: Int) {
            var size = slots.count
            while size < count * 2 { size *= 2 }
            if size > slots.count { grow(to: size) }
            seen.reserveCapacity(count)
        }

        /// Where `key` (whose `KeyHasher` hash is `hash`) was first seen; nil (and `seen` noted for
        /// it) when it is new. A key of the same tag noted by another record is compared with
        /// `key` through `keyOfRecord`.
        fileprivate mutating func firstSeen(_ key: UnsafeRawBufferPointer, hash: UInt64, else seen: FirstSeen,
                                            keyOfRecord: (Int) -> [UInt8]?) -> FirstSeen? {
            let tag = hash &>> 32
            var mask = slots.count &- 1
            var slot = Int(truncatingIfNeeded: tag) & mask
            while slots[slot] != 0 {
                let value = slots[slot]
                if value &>> 32 == tag {
                    let entry = Int(truncatingIfNeeded: value & Self.entryMask) &- 1
                    if self.seen[entry].ordinal == seen.ordinal
                        || keyOfRecord(Int(self.seen[entry].ordinal)).map({ $0.elementsEqual(key) }) ?? false {
                        let first = self.seen[entry]
                        if seen.isBefore(first) { self.seen[entry] = seen }
                        return first
                    }
                }
                slot = (slot &+ 1) & mask
            }
            if (self.seen.count &+ 1) &* 2 > slots.count {
                grow(to: slots.count &* 2)
                mask = slots.count &- 1
                slot = Int(truncatingIfNeeded: tag) & mask
                while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            }
            precondition(self.seen.count < Int(UInt32.max), "more keys than a slot can name")
            slots[slot] = tag &<< 32 | UInt64(self.seen.count &+ 1)
            self.seen.append(seen)
            return nil
        }

        /// Slots of `size` (a power of two), every key placed again from its tag.
        private mutating func grow(to size: Int) {
            let old = slots
            slots = Array(repeating: 0, count: size)
            let mask = size &- 1
            for value in old where value != 0 {
                var slot = Int(truncatingIfNeeded: value &>> 32) & mask
                while slots[slot] != 0 { slot = (slot &+ 1) & mask }
                slots[slot] = value
            }
        }
    }
}

/// A type's `PrimaryKeyTracker`, shared by the readers of the parts of one file read side by side
/// for the length of one `importRecords` call: each shard behind a lock of its own, and each key's
/// bytes and hash made before its shard is locked, so that two readers rarely wait on each other.
final class SharedKeyTracker: Sendable {
    let fieldPositions: [Int]
    private let shards: [LockedShard]

    private final class LockedShard: Sendable {
        let shard: Mutex<PrimaryKeyTracker.Shard>
        init(_ shard: PrimaryKeyTracker.Shard) { self.shard = Mutex(shard) }
    }

    init(_ tracker: PrimaryKeyTracker) {
        fieldPositions = tracker.fieldPositions
        shards = tracker.shards.map(LockedShard.init)
    }

    /// The tracker, with every key noted so far (a copy).
    var current: PrimaryKeyTracker {
        PrimaryKeyTracker(fieldPositions: fieldPositions, shards: shards.map { $0.shard.withLock { $0 } })
    }

    /// Room for about `count` keys in all.
    func reserve(keys count: Int) {
        let each = count / PrimaryKeyTracker.shardCount + 1
        for locked in shards { locked.shard.withLock { $0.reserve(keys: each) } }
    }

    /// `PrimaryKeyTracker.note`, the key's shard locked for the look-up only (`keyOfRecord` then
    /// runs under it: it must not note keys).
    func note(_ key: [UInt8], ordinal: Int, file: Int, line: Int, keyOfRecord: (Int) -> [UInt8]?) -> (file: Int, line: Int)? {
        let seen = PrimaryKeyTracker.FirstSeen(ordinal: ordinal, file: file, line: line)
        return key.withUnsafeBytes { bytes in
            let hashed = PrimaryKeyTracker.Key(bytes)
            return shards[PrimaryKeyTracker.shard(of: hashed)].shard.withLock { $0.note(hashed, bytes: bytes, seen, keyOfRecord: keyOfRecord) }
        }
    }
}
