import HollowCore
import Synchronization

/// Remembers where each primary key of a type was first seen, so that a second, different record
/// with the same key is refused with both places named. (Identical records are one record, so a
/// line repeated word for word is not a conflict.) Keys are compared as the core compares them, by
/// their bytes: UTF-8 as written, floating-point bit patterns. Keys that follow references
/// (`director.name`) are left to the write state, which checks every key when the blobs are written.
struct PrimaryKeyTracker: Sendable {
    struct FirstSeen: Sendable {
        let ordinal: Int
        let file: Int32
        let line: Int32

        func isBefore(_ other: FirstSeen) -> Bool { (file, line) < (other.file, other.line) }
    }

    /// The keys whose hash falls to one shard: readers of the parts of a file note keys of
    /// different shards side by side (`SharedKeyTracker`), each shard behind a lock of its own.
    struct Shard: Sendable {
        /// Keys of one integer field, the common case, without building key bytes.
        fileprivate var firstSeenInteger: [Int64: FirstSeen] = [:]
        /// Other keys: their bytes one after another in one arena, found through an
        /// open-addressing table of 64-bit hashes, so that a key costs no allocation of its own (a
        /// million string keys as a `[[UInt8]: ...]` spent a fifth of an import in malloc, hashing
        /// and resizing).
        fileprivate var keys = KeyTable()

        /// Notes `key` (see `PrimaryKeyTracker.key`) as seen at `seen`; returns where a different
        /// record with the same key was seen first, if one was. The earliest place of each key is
        /// kept: parts of a file read side by side may note a later line first, and then the
        /// place returned is later than this one.
        fileprivate mutating func note(_ key: Key, bytes: UnsafeRawBufferPointer, _ seen: FirstSeen) -> (file: Int, line: Int)? {
            if let integer = key.integer {
                if let first = firstSeenInteger[integer] {
                    if seen.isBefore(first) { firstSeenInteger[integer] = seen }
                    return first.ordinal == seen.ordinal ? nil : (Int(first.file), Int(first.line))
                }
                firstSeenInteger[integer] = seen
                return nil
            }
            guard let first = keys.firstSeen(bytes, hash: key.hash, else: seen), first.ordinal != seen.ordinal else { return nil }
            return (Int(first.file), Int(first.line))
        }

        mutating func reserve(keys count: Int, integer: Bool) {
            if integer { firstSeenInteger.reserveCapacity(count) } else { keys.reserve(count) }
        }
    }

    /// A key as noted: an integer key itself, or the hash of the bytes of any other (which the
    /// caller keeps); computed before any lock is taken.
    struct Key {
        var integer: Int64?
        var hash: UInt64
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

    /// The key of `values` at `fieldPositions`: its bytes (for a key other than one integer field)
    /// in `bytes`, which is emptied first.
    static func key(of values: [FieldValue?], at fieldPositions: [Int], bytes: inout [UInt8]) -> Key {
        bytes.removeAll(keepingCapacity: true)
        if fieldPositions.count == 1 {
            switch values[fieldPositions[0]]! {
            case .long(let number): return Key(integer: number, hash: mixed(UInt64(bitPattern: number)))
            case .int(let number): return Key(integer: Int64(number), hash: mixed(UInt64(bitPattern: Int64(number))))
            default: break
            }
        }
        for position in fieldPositions { append(values[position]!, to: &bytes) }
        var hasher = KeyHasher()
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        return Key(integer: nil, hash: hasher.finalize())
    }

    /// An integer's bits mixed into all 64 (the finalizer of MurmurHash3), so that the high bits
    /// pick a shard.
    private static func mixed(_ value: UInt64) -> UInt64 {
        var bits = value
        bits ^= bits >> 33
        bits &*= 0xFF51_AFD7_ED55_8CCD
        bits ^= bits >> 33
        bits &*= 0xC4CE_B9FE_1A85_EC53
        return bits ^ (bits >> 33)
    }

    /// The shard of a key's hash (its high bits: the tables use the low ones).
    @inline(__always)
    static func shard(of key: Key) -> Int { Int(truncatingIfNeeded: key.hash >> 60) & (shardCount - 1) }

    /// Records that `ordinal` has the key made of `values`; returns where a different record with
    /// the same key was seen, if one was (see `Shard.note`).
    mutating func note(_ values: [FieldValue?], ordinal: Int, file: Int, line: Int) -> (file: Int, line: Int)? {
        var bytes: [UInt8] = []
        let key = Self.key(of: values, at: fieldPositions, bytes: &bytes)
        return bytes.withUnsafeBytes { shards[Self.shard(of: key)].note(key, bytes: $0, FirstSeen(ordinal: ordinal, file: file, line: line)) }
    }

    private static func append(_ value: FieldValue, to key: inout [UInt8]) {
        func append<T: FixedWidthInteger>(_ tag: UInt8, _ number: T) {
            key.append(tag)
            withUnsafeBytes(of: number.littleEndian) { key.append(contentsOf: $0) }
        }
        switch value {
        case .int(let number): append(1, number)
        case .long(let number): append(2, number)
        case .float(let number): append(3, number.bitPattern)
        case .double(let number): append(4, number.bitPattern)
        case .bool(let flag): append(5, UInt8(flag ? 1 : 0))
        case .reference(let ordinal): append(6, Int64(ordinal))
        case .string(var text):
            text.withUTF8 { utf8 in
                append(7, UInt64(utf8.count))
                key.append(contentsOf: utf8)
            }
        case .bytes(let bytes):
            append(8, UInt64(bytes.count))
            key.append(contentsOf: bytes)
        }
    }
}

extension PrimaryKeyTracker.FirstSeen {
    init(ordinal: Int, file: Int, line: Int) {
        self.init(ordinal: ordinal, file: Int32(truncatingIfNeeded: file), line: Int32(truncatingIfNeeded: line))
    }
}

extension PrimaryKeyTracker {
    /// Keys as bytes in one arena, each noted with where it was first seen; linear probing over
    /// slots of entry index + 1 at a load of at most one half.
    struct KeyTable: Sendable {
        private var arena: [UInt8] = []
        private var starts: [Int] = []
        private var hashes: [UInt64] = []
        private var seen: [FirstSeen] = []
        private var slots: [Int32] = Array(repeating: 0, count: 1024)

        /// Room for `count` keys in all, made at once instead of by doublings.
        mutating func reserve(_ count: Int) {
            var size = slots.count
            while size < count * 2 { size *= 2 }
            if size > slots.count {
                slots = Array(repeating: 0, count: size / 2)
                grow()
            }
            starts.reserveCapacity(count)
            hashes.reserveCapacity(count)
            seen.reserveCapacity(count)
        }

        /// Where `key` (whose `KeyHasher` hash is `hash`) was first seen; nil (and `seen` noted for
        /// it) when it is new.
        fileprivate mutating func firstSeen(_ key: UnsafeRawBufferPointer, hash: UInt64, else seen: FirstSeen) -> FirstSeen? {
            var mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 {
                let entry = Int(slots[slot]) - 1
                if hashes[entry] == hash && equal(entry, key) {
                    let first = self.seen[entry]
                    if seen.isBefore(first) { self.seen[entry] = seen }
                    return first
                }
                slot = (slot + 1) & mask
            }
            if (hashes.count + 1) * 2 > slots.count {
                grow()
                mask = slots.count - 1
                slot = Int(truncatingIfNeeded: hash) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
            }
            slots[slot] = Int32(hashes.count + 1)
            starts.append(arena.count)
            arena.append(contentsOf: key)
            hashes.append(hash)
            self.seen.append(seen)
            return nil
        }

        private func equal(_ entry: Int, _ key: UnsafeRawBufferPointer) -> Bool {
            let start = starts[entry]
            let end = entry + 1 < starts.count ? starts[entry + 1] : arena.count
            guard end - start == key.count else { return false }
            return arena.withUnsafeBytes { arena in key.elementsEqual(UnsafeRawBufferPointer(rebasing: arena[start..<end])) }
        }

        private mutating func grow() {
            slots = Array(repeating: 0, count: slots.count * 2)
            let mask = slots.count - 1
            for (entry, hash) in hashes.enumerated() {
                var slot = Int(truncatingIfNeeded: hash) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(entry + 1)
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

    /// Room for about `count` keys in all; `integer` when the key is one integer field.
    func reserve(keys count: Int, integer: Bool) {
        let each = count / PrimaryKeyTracker.shardCount + 1
        for locked in shards { locked.shard.withLock { $0.reserve(keys: each, integer: integer) } }
    }

    /// `PrimaryKeyTracker.note`, the key's shard locked for the look-up only; `bytes` is scratch
    /// space the caller reuses.
    func note(_ values: [FieldValue?], ordinal: Int, file: Int, line: Int, bytes: inout [UInt8]) -> (file: Int, line: Int)? {
        let key = PrimaryKeyTracker.key(of: values, at: fieldPositions, bytes: &bytes)
        let seen = PrimaryKeyTracker.FirstSeen(ordinal: ordinal, file: file, line: line)
        return bytes.withUnsafeBytes { bytes in
            shards[PrimaryKeyTracker.shard(of: key)].shard.withLock { $0.note(key, bytes: bytes, seen) }
        }
    }
}
