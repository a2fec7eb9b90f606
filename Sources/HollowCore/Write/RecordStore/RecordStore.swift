/// The canonical encodings of one type's records, by ordinal, and the dedup table that finds the
/// ordinal of an encoding.
///
/// Every encoding is appended to one byte arena (`arena`); an ordinal's `Entry` holds where its bytes
/// start, how many there are (-1: the ordinal holds no record) and their 64-bit hash
/// (`RecordStore.hash`). The dedup table is open addressing with linear probing over `slots`: a
/// slot's `key` is 0 when empty, otherwise the high 32 bits of the record's hash (the tag, whose top
/// bits are also the slot's home) and, in the low 32 bits, the ordinal plus one; its `place` is the
/// record's start in the arena and its length (saturated at 0xFFFF: then the entry has it), so that
/// a look-up that finds a record touches the slot and the bytes only, not the entry. A look-up
/// compares tags, lengths, then the bytes in place, so no `[UInt8]` is made per record and no
/// `Hasher` runs. Removal shifts the following entries of the run back (no tombstones). Bytes of removed
/// records stay in the arena as garbage until they outweigh the live bytes; then the arena is
/// compacted (offsets change, ordinals do not).
///
/// Invariants (`RecordStore+Invariants.swift`):
/// - every entry with `count >= 0` lies inside `arena`, and has exactly one slot, reachable from its
///   home without crossing an empty slot, whose place agrees with the entry; no slot names an
///   ordinal without a record;
/// - `recordCount` is the number of entries with a record, and at most half the slots are used;
/// - `garbage` is `arena.count` minus the live bytes.
struct RecordStore: Sendable {
    struct Entry: Sendable, Equatable {
        var start: Int
        /// -1 when the ordinal holds no record.
        var count: Int
        var hash: UInt64

        static let none = Entry(start: 0, count: -1, hash: 0)
    }

    struct Slot: Sendable, BitwiseCopyable {
        /// Tag (high 32 bits) and ordinal plus one (low 32 bits); 0 when the slot is empty.
        var key: UInt64
        /// Start in the arena (high 48 bits) and length, saturated at 0xFFFF (low 16 bits).
        var place: UInt64

        static let empty = Slot(key: 0, place: 0)
    }

    private(set) var arena: [UInt8] = []
    private(set) var entries: [Entry] = []
    private(set) var slots: [Slot]
    /// log2 of `slots.count`.
    private var slotBits: Int
    private(set) var recordCount = 0
    /// Bytes of `arena` that belong to no record.
    private(set) var garbage = 0
    /// Applied to every hash given to this store; tests narrow it to force collisions.
    var hashMask: UInt64 = .max

    static let ordinalMask: UInt64 = 0xFFFF_FFFF
    static let tagMask: UInt64 = ~ordinalMask
    private static let minimumSlotBits = 4

    init() {
        slotBits = RecordStore.minimumSlotBits
        slots = Array(repeating: .empty, count: 1 << slotBits)
    }

    private static let lengthMask: UInt64 = 0xFFFF

    @inline(__always)
    static func place(start: Int, count: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: start) &<< 16 | UInt64(truncatingIfNeeded: min(count, Int(lengthMask)))
    }

    /// Ordinals with an entry (with or without a record): one past the highest ordinal handed out.
    var ordinalCount: Int { entries.count }

    var liveBytes: Int { arena.count - garbage }

    @inline(__always)
    func home(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash &>> UInt64(64 - slotBits)) }

    // MARK: Hashing

    /// A 64-bit hash of `bytes`, eight bytes at a time (folded 128-bit multiplies, as in wyhash),
    /// finished with murmur3's finaliser. Ordinals never depend on it: only look-up speed does.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
        guard let base = bytes.baseAddress else { return finish(hash) }
        var offset = 0
        while offset &+ 8 <= count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            hash = fold(hash ^ word, 0xA076_1D64_78BD_642F)
            offset &+= 8
        }
        if offset < count {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                word |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) &<< shift
                shift &+= 8
                offset &+= 1
            }
            hash = fold(hash ^ word, 0xE703_7ED1_A0B4_28DB)
        }
        return finish(hash)
    }

    @inline(__always)
    private static func fold(_ value: UInt64, _ constant: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: constant)
        return product.high ^ product.low
    }

    @inline(__always)
    private static func finish(_ value: UInt64) -> UInt64 { Murmur3.fmix64(value) }

    // MARK: Reading

    /// Whether `ordinal` holds a record.
    @inline(__always)
    func contains(_ ordinal: Int) -> Bool { ordinal >= 0 && ordinal < entries.count && entries[ordinal].count >= 0 }

    /// Calls `body` with the encoding of `ordinal` (which must hold a record), in place.
    @inline(__always)
    func withContent<R>(_ ordinal: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let entry = entries[ordinal]
        precondition(entry.count >= 0, "no record at this ordinal")
        return try arena.withUnsafeBytes { arena in
            try body(UnsafeRawBufferPointer(rebasing: arena[entry.start..<entry.start + entry.count]))
        }
    }

    /// Calls `body` with the entries and the arena in place, for a loop over many records that
    /// would otherwise reach both through the store for each one.
    func withEntriesAndArena<R>(_ body: (UnsafeBufferPointer<Entry>, UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try entries.withUnsafeBufferPointer { entries in try arena.withUnsafeBytes { arena in try body(entries, arena) } }
    }

    /// The encoding of `ordinal` as an array, or nil when it holds no record.
    func content(_ ordinal: Int) -> [UInt8]? {
        guard contains(ordinal) else { return nil }
        return withContent(ordinal) { Array($0) }
    }

    /// The ordinal of the record encoded as `bytes`, whose hash is `hash`.
    func find(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int? {
        let hash = hash & hashMask
        let tag = hash & RecordStore.tagMask
        let mask = slots.count &- 1
        return slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                arena.withUnsafeBytes { arena in
                    var index = home(hash)
                    while true {
                        let slot = slots[index]
                        if slot.key == 0 { return nil }
                        if slot.key & RecordStore.tagMask == tag {
                            let ordinal = Int(truncatingIfNeeded: slot.key & RecordStore.ordinalMask) &- 1
                            let short = slot.place & RecordStore.lengthMask
                            let count = short == RecordStore.lengthMask ? entries[ordinal].count : Int(truncatingIfNeeded: short)
                            if count == bytes.count {
                                let start = Int(truncatingIfNeeded: slot.place &>> 16)
                                if count == 0 || memcmp(arena.baseAddress! + start, bytes.baseAddress!, count) == 0 { return ordinal }
                            }
                        }
                        index = (index &+ 1) & mask
                    }
                }
            }
        }
    }

    // MARK: Writing

    /// Stores `bytes` (hash `hash`, not already in the store) as the record of `ordinal`, which is
    /// either `ordinalCount` (a new ordinal) or an ordinal without a record.
    mutating func insert(_ bytes: UnsafeRawBufferPointer, hash: UInt64, at ordinal: Int) {
        precondition(ordinal >= 0 && ordinal <= entries.count && ordinal < Int(UInt32.max), "ordinal out of range")
        let hash = hash & hashMask
        if (recordCount &+ 1) &* 2 > slots.count { grow() }
        let entry = Entry(start: arena.count, count: bytes.count, hash: hash)
        if !bytes.isEmpty {
            if arena.count &+ bytes.count > arena.capacity { HugePages.reserve(&arena, minimumCapacity: arena.count &+ bytes.count) }
            arena.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
        }
        if ordinal == entries.count {
            if entries.count == entries.capacity { HugePages.reserve(&entries, minimumCapacity: entries.count &+ 1) }
            entries.append(entry)
        } else {
            precondition(entries[ordinal].count < 0, "the ordinal already holds a record")
            entries[ordinal] = entry
        }
        place(hash: hash, ordinal: ordinal, start: entry.start, count: entry.count)
        recordCount &+= 1
    }

    /// Appends an ordinal without a record.
    mutating func appendEmpty() {
        if entries.count == entries.capacity { HugePages.reserve(&entries, minimumCapacity: entries.count &+ 1) }
        entries.append(.none)
    }

    /// Removes the record of `ordinal`; the ordinal stays, without a record.
    mutating func remove(_ ordinal: Int) {
        guard contains(ordinal) else { return }
        let entry = entries[ordinal]
        let target = UInt64(ordinal &+ 1)
        let mask = slots.count &- 1
        var index = home(entry.hash)
        while slots[index].key & RecordStore.ordinalMask != target { index = (index &+ 1) & mask }
        // Backward shift: pull later members of the run into the hole while their home allows it.
        var hole = index
        var next = index
        while true {
            next = (next &+ 1) & mask
            let slot = slots[next]
            if slot.key == 0 { break }
            let slotHome = home(slot.key)
            // The slot stays when its home lies cyclically in (hole, next].
            let stays = hole <= next ? (hole < slotHome && slotHome <= next) : (hole < slotHome || slotHome <= next)
            if stays { continue }
            slots[hole] = slot
            hole = next
        }
        slots[hole] = .empty
        entries[ordinal] = .none
        recordCount &-= 1
        garbage &+= entry.count
        if garbage > 4096 && garbage > liveBytes { compact() }
    }

    /// Drops the ordinals from `count` on, which must hold no record.
    mutating func truncate(to count: Int) {
        guard count < entries.count else { return }
        precondition(entries[count...].allSatisfy { $0.count < 0 }, "truncating records")
        entries.removeLast(entries.count - count)
    }

    /// Rewrites the arena with the live records only, in ordinal order.
    mutating func compact() {
        var packed: [UInt8] = []
        HugePages.reserve(&packed, minimumCapacity: liveBytes)
        arena.withUnsafeBytes { arena in
            for ordinal in entries.indices where entries[ordinal].count >= 0 {
                let start = entries[ordinal].start
                entries[ordinal].start = packed.count
                packed.append(contentsOf: UnsafeRawBufferPointer(rebasing: arena[start..<start + entries[ordinal].count]))
            }
        }
        arena = packed
        garbage = 0
        for index in slots.indices where slots[index].key != 0 {
            let entry = entries[Int(truncatingIfNeeded: slots[index].key & RecordStore.ordinalMask) - 1]
            slots[index].place = RecordStore.place(start: entry.start, count: entry.count)
        }
        _checkInvariants()
    }

    /// Reserves room for `records` records (a restore knows how many it brings).
    mutating func reserve(records: Int, bytes: Int) {
        HugePages.reserve(&arena, minimumCapacity: bytes)
        HugePages.reserve(&entries, minimumCapacity: records)
        while records &* 2 > slots.count { grow() }
    }

    /// Room for about `records` records whose encodings take about `bytes` in all, made at once
    /// rather than by doublings (each a copy of what is there, and fresh pages the kernel zeroes).
    /// Only grows: room the store has already is kept.
    mutating func reserveCapacity(records: Int, bytes: Int) {
        if bytes > arena.capacity { HugePages.reserve(&arena, minimumCapacity: bytes) }
        if records > entries.capacity { HugePages.reserve(&entries, minimumCapacity: records) }
        var bits = slotBits
        while (1 << bits) < records &* 2 && bits < 32 { bits += 1 }
        if bits > slotBits { grow(toBits: bits) }
    }

    private mutating func grow() { grow(toBits: slotBits + 1) }

    private mutating func grow(toBits bits: Int) {
        let old = slots
        slotBits = bits
        slots = HugePages.array(repeating: .empty, count: 1 << slotBits)
        let mask = slots.count &- 1
        for slot in old where slot.key != 0 {
            var index = home(slot.key)
            while slots[index].key != 0 { index = (index &+ 1) & mask }
            slots[index] = slot
        }
    }

    private mutating func place(hash: UInt64, ordinal: Int, start: Int, count: Int) {
        let mask = slots.count &- 1
        let slot = Slot(key: (hash & RecordStore.tagMask) | UInt64(ordinal &+ 1), place: RecordStore.place(start: start, count: count))
        let first = home(hash)
        slots.withUnsafeMutableBufferPointer { slots in
            var index = first
            while slots[index].key != 0 { index = (index &+ 1) & mask }
            slots[index] = slot
        }
    }

}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
