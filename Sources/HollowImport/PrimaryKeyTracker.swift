import HollowCore
import Synchronization

/// Remembers where each primary key of a type was first seen, so that a second, different record
/// with the same key is refused with both places named. (Identical records are one record, so a
/// line repeated word for word is not a conflict.) Keys are compared as the core compares them, by
/// their bytes: UTF-8 as written, floating-point bit patterns. Keys that follow references
/// (`director.name`) are left to the write state, which checks every key when the blobs are written.
struct PrimaryKeyTracker: Sendable {
    fileprivate struct FirstSeen: Sendable {
        let ordinal: Int
        let file: Int32
        let line: Int32

        func isBefore(_ other: FirstSeen) -> Bool { (file, line) < (other.file, other.line) }
    }

    let fieldPositions: [Int]
    /// Keys of one integer field, the common case, without building key bytes.
    private var firstSeenInteger: [Int64: FirstSeen] = [:]
    /// Other keys: their bytes one after another in one arena, found through an open-addressing
    /// table of 64-bit hashes, so that a key costs no allocation of its own (a million string
    /// keys as a `[[UInt8]: ...]` spent a fifth of an import in malloc, hashing and resizing).
    private var keys = KeyTable()
    /// The key bytes of the record being noted, reused.
    private var scratch: [UInt8] = []

    init(fieldPositions: [Int]) {
        self.fieldPositions = fieldPositions
    }

    /// Records that `ordinal` has the key made of `values` at `fieldPositions`; returns where a
    /// different record with the same key was seen, if one was. The tracker keeps the earliest
    /// place of each key: parts of a file read side by side may note a later line first, and
    /// then the place returned is later than this one.
    mutating func note(_ values: [FieldValue?], ordinal: Int, file: Int, line: Int) -> (file: Int, line: Int)? {
        let seen = FirstSeen(ordinal: ordinal, file: Int32(truncatingIfNeeded: file), line: Int32(truncatingIfNeeded: line))
        if fieldPositions.count == 1 {
            switch values[fieldPositions[0]]! {
            case .long(let number): return Self.note(number, seen, in: &firstSeenInteger)
            case .int(let number): return Self.note(Int64(number), seen, in: &firstSeenInteger)
            default: break
            }
        }
        scratch.removeAll(keepingCapacity: true)
        for position in fieldPositions { Self.append(values[position]!, to: &scratch) }
        let first = scratch.withUnsafeBytes { keys.firstSeen($0, else: seen) }
        guard let first, first.ordinal != seen.ordinal else { return nil }
        return (Int(first.file), Int(first.line))
    }

    private static func note<Key: Hashable>(_ key: Key, _ seen: FirstSeen, in table: inout [Key: FirstSeen]) -> (file: Int, line: Int)? {
        if let first = table[key] {
            if seen.isBefore(first) { table[key] = seen }
            return first.ordinal == seen.ordinal ? nil : (Int(first.file), Int(first.line))
        }
        table[key] = seen
        return nil
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

extension PrimaryKeyTracker {
    /// Keys as bytes in one arena, each noted with where it was first seen; linear probing over
    /// slots of entry index + 1 at a load of at most one half.
    struct KeyTable: Sendable {
        private var arena: [UInt8] = []
        private var starts: [Int] = []
        private var hashes: [UInt64] = []
        private var seen: [FirstSeen] = []
        private var slots: [Int32] = Array(repeating: 0, count: 1024)

        /// Where `key` was first seen; nil (and `seen` noted for it) when it is new.
        fileprivate mutating func firstSeen(_ key: UnsafeRawBufferPointer, else seen: FirstSeen) -> FirstSeen? {
            var hasher = KeyHasher()
            hasher.combine(bytes: key)
            let hash = hasher.finalize()
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

/// A type's `PrimaryKeyTracker` behind a lock, shared by the readers of the parts of one file read
/// side by side for the length of one `importRecords` call.
final class SharedKeyTracker: Sendable {
    let fieldPositions: [Int]
    private let tracker: Mutex<PrimaryKeyTracker>

    init(_ tracker: PrimaryKeyTracker) {
        fieldPositions = tracker.fieldPositions
        self.tracker = Mutex(tracker)
    }

    /// The tracker, with every key noted so far (a copy).
    var current: PrimaryKeyTracker { tracker.withLock { $0 } }

    /// `body` with the tracker, under the lock: for the keys of a batch of records, noted under
    /// one lock rather than one each.
    func withTracker<R>(_ body: (inout PrimaryKeyTracker) -> R) -> R {
        tracker.withLock { body(&$0) }
    }

    /// `PrimaryKeyTracker.note`, under the lock.
    func note(_ values: [FieldValue?], ordinal: Int, file: Int, line: Int) -> (file: Int, line: Int)? {
        tracker.withLock { $0.note(values, ordinal: ordinal, file: file, line: line) }
    }
}
