import CPrefetch

/// The canonical encodings of one type's records, by ordinal, and the dedup table that finds the
/// ordinal of an encoding.
///
/// A record's encoding is in one of two places. Records added since the last commit are appended
/// to one byte arena (`arena`). Records of the committed state are in that state's storage
/// (`stored`, set by `keepInStorage`), and their encodings are made again from it when asked for
/// (`RecordReading`): a producer holds its state once, not once as storage and again as encodings.
/// An ordinal's `Entry` holds where its bytes start (`Entry.stored` when in the storage) and how
/// many there are (-1: the ordinal holds no record), 16 bytes a record. A record's hash
/// (`RecordStore.hash`) is not kept: the few operations that need it (a removal, a record moved
/// between arena and storage by a cycle) make it again from the record's encoding.
///
/// The dedup table is open addressing with linear probing over `slots` of 8 bytes: 0 when empty,
/// otherwise the high 32 bits of the record's hash (the tag, whose top bits are also the slot's
/// home), a flag set when the record is in the storage, and the ordinal plus one (31 bits). A
/// look-up compares tags, then the record: a stored one field by field in its storage (without a
/// buffer), one in the arena by its entry's length and bytes; so no `[UInt8]` is made per record
/// and no `Hasher` runs. Removal shifts the following entries of the run back (no tombstones).
/// Bytes of removed records stay in the arena as garbage until they outweigh the live bytes; then
/// the arena is compacted (offsets change, ordinals and slots do not).
///
/// Invariants (`RecordStore+Invariants.swift`):
/// - every entry with `count >= 0` lies inside `arena`, or is in `stored` (whose storage then holds a
///   record at its ordinal), and has exactly one slot, reachable from the home of its encoding's
///   hash without crossing an empty slot, whose tag is that hash's and whose flag says whether
///   the record is stored; no slot names an ordinal without a record;
/// - `recordCount` is the number of entries with a record, and at most half the slots are used;
/// - `garbage` is `arena.count` minus the live bytes of the arena; `storedBytes` is the length
///   of every encoding in the storage.
struct RecordStore: Sendable {
    struct Entry: Sendable, Equatable {
        /// The encoding's start in the arena, or `Entry.stored`.
        var start: Int
        /// -1 when the ordinal holds no record.
        var count: Int

        static let none = Entry(start: 0, count: -1)
        /// The `start` of a record whose encoding is made from the storage (`stored`).
        static let stored = -1

        var isStored: Bool { start == Entry.stored }
    }

    struct Slot: Sendable, BitwiseCopyable {
        /// Tag (high 32 bits), the stored flag (bit 31) and ordinal plus one (low 31 bits); 0
        /// when the slot is empty.
        var key: UInt64

        static let empty = Slot(key: 0)

        var ordinal: Int { Int(truncatingIfNeeded: key & RecordStore.ordinalMask) &- 1 }
        var isStored: Bool { key & RecordStore.storedFlag != 0 }

        mutating func setStored(_ stored: Bool) {
            key = stored ? key | RecordStore.storedFlag : key & ~RecordStore.storedFlag
        }
    }

    private(set) var arena: [UInt8] = []
    private(set) var entries: [Entry] = []
    /// The storage of the records whose entries are `Entry.stored` (a committed state's).
    private(set) var stored: StoredRecords?
    /// Bytes of the encodings made from `stored`.
    private(set) var storedBytes = 0
    /// Whether pages of the arena were given back (`withContentsReleasingArena`): until
    /// `keepInStorage` moves its records out, the arena's bytes are not theirs.
    private(set) var arenaGivenBack = false
    private(set) var slots: [Slot]
    /// log2 of `slots.count`.
    private var slotBits: Int
    private(set) var recordCount = 0
    /// Bytes of `arena` that belong to no record.
    private(set) var garbage = 0
    /// Applied to every hash given to this store; tests narrow it to force collisions.
    var hashMask: UInt64 = .max

    /// Ordinals are below `TypeData.maximumOrdinalCount` (2^31 - 1), so ordinal + 1 fits in 31 bits.
    static let ordinalMask: UInt64 = 0x7FFF_FFFF
    static let storedFlag: UInt64 = 0x8000_0000
    static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000
    private static let minimumSlotBits = 4

    init() {
        slotBits = RecordStore.minimumSlotBits
        slots = Array(repeating: .empty, count: 1 << slotBits)
    }

    /// Ordinals with an entry (with or without a record): one past the highest ordinal handed out.
    var ordinalCount: Int { entries.count }

    /// Bytes of the arena that belong to a record.
    var liveBytes: Int { arena.count - garbage }

    /// Bytes of every record's encoding, wherever it is.
    var contentBytes: Int { liveBytes + storedBytes }

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

    /// Calls `body` with the encoding of `ordinal` (which must hold a record): in place, or made
    /// from the storage into a temporary buffer.
    @inline(__always)
    func withContent<R>(_ ordinal: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try entries.withUnsafeBufferPointer { entries in
            try arena.withUnsafeBytes { arena in
                try Contents(entries: entries, arena: arena, stored: stored).withContent(ordinal, body)
            }
        }
    }

    /// Calls `body` with every record's encoding at hand (`Contents`), for a loop over many
    /// records that would otherwise reach the entries and the arena through the store each time.
    func withContents<R>(_ body: (Contents) throws -> R) rethrows -> R {
        try entries.withUnsafeBufferPointer { entries in
            try arena.withUnsafeBytes { arena in try body(Contents(entries: entries, arena: arena, stored: stored)) }
        }
    }

    /// Calls `body` with every record's encoding at hand, and, when every record in the arena is
    /// among `ordinals` and lies in ordinal order with no garbage between, an `ArenaRelease`
    /// through which a build that reads them gives the arena's pages back as it goes. The bytes
    /// given back are lost: `keepInStorage(ordinals, storage:)` with the storage built must
    /// follow, and nothing may read the arena in between (an insert in between is refused).
    mutating func withContentsReleasingArena<R>(of ordinals: OrdinalSet, _ body: (Contents, ArenaRelease?) throws -> R) rethrows -> R {
        var releasable = garbage == 0 && !arena.isEmpty
        if releasable {
            var next = 0
            for ordinal in entries.indices where entries[ordinal].count >= 0 && !entries[ordinal].isStored {
                guard ordinals.contains(ordinal), entries[ordinal].start == next else {
                    releasable = false
                    break
                }
                next &+= entries[ordinal].count
            }
            releasable = releasable && next == arena.count
        }
        guard releasable else { return try withContents { try body($0, nil) } }
        arenaGivenBack = true
        let entries = self.entries
        let stored = self.stored
        return try arena.withUnsafeMutableBytes { arena in
            try entries.withUnsafeBufferPointer { entries in
                try body(Contents(entries: entries, arena: UnsafeRawBufferPointer(arena), stored: stored), ArenaRelease(arena))
            }
        }
    }

    /// The records' encodings, borrowed from a store for the length of `withContents`.
    struct Contents {
        let entries: UnsafeBufferPointer<Entry>
        let arena: UnsafeRawBufferPointer
        let stored: StoredRecords?

        /// Whether `ordinal` holds a record.
        @inline(__always)
        func contains(_ ordinal: Int) -> Bool { ordinal >= 0 && ordinal < entries.count && entries[ordinal].count >= 0 }

        /// Whether the record `ordinal` (which must hold one) is read from the storage.
        @inline(__always)
        func isStored(_ ordinal: Int) -> Bool { entries[ordinal].isStored }

        /// Writes the encoding of field `index` alone (see `RecordReading.writeCanonicalField`)
        /// of the stored object record `ordinal` to `sink`: a key read without its whole record.
        func writeStoredField(_ index: Int, of ordinal: Int, to sink: inout ArraySink) {
            precondition(isStored(ordinal), "not a stored record")
            stored.unsafelyUnwrapped.writeField(index, of: ordinal, to: &sink)
        }

        /// Calls `body` with the encoding of `ordinal`, which must hold a record.
        @inline(__always)
        func withContent<R>(_ ordinal: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            let entry = entries[ordinal]
            precondition(entry.count >= 0, "no record at this ordinal")
            guard entry.isStored else { return try body(UnsafeRawBufferPointer(rebasing: arena[entry.start..<entry.start &+ entry.count])) }
            return try withUnsafeTemporaryAllocation(byteCount: Swift.max(1, entry.count), alignment: 8) { buffer in
                var writer = EncodingWriter(buffer)
                stored.unsafelyUnwrapped.write(ordinal, to: &writer)
                precondition(writer.count == entry.count, "a stored record's encoding changed length")
                return try body(writer.bytes)
            }
        }
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
                            let ordinal = slot.ordinal
                            if slot.isStored {
                                if stored.unsafelyUnwrapped.matches(ordinal, bytes) { return ordinal }
                            } else {
                                let entry = entries[ordinal]
                                if entry.count == bytes.count
                                    && (entry.count == 0 || memcmp(arena.baseAddress! + entry.start, bytes.baseAddress!, entry.count) == 0) {
                                    return ordinal
                                }
                            }
                        }
                        index = (index &+ 1) & mask
                    }
                }
            }
        }
    }

    /// How far a batch of look-ups has come with a record it will look up: `prefetch(hash:_:)`
    /// asks for the cache lines of the next step, so that a batch overlaps the misses of several
    /// records (slot, then record, then its values) instead of waiting on each in turn.
    enum PrefetchStep {
        /// The record's home slot.
        case slot
        /// The record the slot names (its fields in the storage, or its entry).
        case record
        /// A stored record's string values in their pools, or an arena record's bytes.
        case values
    }

    /// Prefetches what `find(_:hash:)` of a record whose hash is `hash` will read at `step`; only
    /// reads what an earlier step should have brought into cache. Changes nothing.
    @inline(__always)
    func prefetch(hash: UInt64, _ step: PrefetchStep) {
        let hash = hash & hashMask
        let home = home(hash)
        slots.withUnsafeBufferPointer { slots in
            if step == .slot { return hollow_prefetch(slots.baseAddress.unsafelyUnwrapped + home) }
            // The first slot of the run with the record's tag: almost always the one it finds.
            let tag = hash & RecordStore.tagMask
            let mask = slots.count &- 1
            var index = home
            for _ in 0..<4 {
                let slot = slots[index]
                if slot.key == 0 { return }
                if slot.key & RecordStore.tagMask == tag {
                    let ordinal = slot.ordinal
                    if slot.isStored {
                        stored?.prefetch(ordinal, values: step == .values)
                    } else if ordinal < entries.count {
                        // A record in the arena: its entry first, then (with the entry in cache) its bytes.
                        entries.withUnsafeBufferPointer { entries in
                            if step == .record { return hollow_prefetch(entries.baseAddress.unsafelyUnwrapped + ordinal) }
                            let start = entries[ordinal].start
                            if entries[ordinal].count > 0 && start >= 0 && start < arena.count {
                                arena.withUnsafeBytes { hollow_prefetch($0.baseAddress.unsafelyUnwrapped + start) }
                            }
                        }
                    }
                    return
                }
                index = (index &+ 1) & mask
            }
        }
    }

    // MARK: Writing

    /// Stores `bytes` (hash `hash`, not already in the store) as the record of `ordinal`, which is
    /// either `ordinalCount` (a new ordinal) or an ordinal without a record.
    mutating func insert(_ bytes: UnsafeRawBufferPointer, hash: UInt64, at ordinal: Int) {
        precondition(ordinal >= 0 && ordinal <= entries.count && ordinal < Int(RecordStore.ordinalMask), "ordinal out of range")
        precondition(!arenaGivenBack, "a record added between a build that gave the arena back and keepInStorage")
        let hash = hash & hashMask
        if (recordCount &+ 1) &* 2 > slots.count { grow() }
        let entry = Entry(start: arena.count, count: bytes.count)
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
        place(hash: hash, ordinal: ordinal, isStored: false)
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
        let mask = slots.count &- 1
        var index = slotIndex(of: ordinal)
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
        if entry.isStored {
            storedBytes &-= entry.count
        } else {
            garbage &+= entry.count
            if garbage > 4096 && garbage > liveBytes { compact() }
        }
    }

    /// Drops the ordinals from `count` on, which must hold no record.
    mutating func truncate(to count: Int) {
        guard count < entries.count else { return }
        precondition(entries[count...].allSatisfy { $0.count < 0 }, "truncating records")
        entries.removeLast(entries.count - count)
    }

    /// Rewrites the arena with the live records only, in ordinal order.
    mutating func compact() {
        packArena()
        _checkInvariants()
    }

    /// Rewrites the arena with the live records only, in ordinal order (the entries' starts
    /// change; slots do not hold them).
    private mutating func packArena() {
        var packed: [UInt8] = []
        if liveBytes > 0 { HugePages.reserve(&packed, minimumCapacity: liveBytes) }
        arena.withUnsafeBytes { arena in
            for ordinal in entries.indices where entries[ordinal].count >= 0 && !entries[ordinal].isStored {
                let start = entries[ordinal].start
                entries[ordinal].start = packed.count
                packed.append(contentsOf: UnsafeRawBufferPointer(rebasing: arena[start..<start + entries[ordinal].count]))
            }
        }
        arena = packed
        garbage = 0
    }

    /// The index of `ordinal`'s slot (which must hold a record), found from the hash of its
    /// encoding, made again.
    private func slotIndex(of ordinal: Int) -> Int {
        let hash = withContent(ordinal) { RecordStore.hash($0) } & hashMask
        let target = UInt64(ordinal &+ 1)
        let mask = slots.count &- 1
        var index = home(hash)
        while slots[index].key & RecordStore.ordinalMask != target { index = (index &+ 1) & mask }
        return index
    }

    /// Sets the stored flags of the slots of `ordinals` from their entries: one by one when they
    /// are few (each hashed again to find its slot), else every slot in one pass (which reads
    /// every entry).
    private mutating func refreshStoredFlags(of ordinals: [Int]) {
        if ordinals.count > flagsSetOneByOneAtMost {
            entries.withUnsafeBufferPointer { entries in
                slots.withUnsafeMutableBufferPointer { slots in
                    for index in slots.indices where slots[index].key != 0 {
                        slots[index].setStored(entries[slots[index].ordinal].isStored)
                    }
                }
            }
        } else {
            for ordinal in ordinals {
                let index = slotIndex(of: ordinal)
                slots[index].setStored(entries[ordinal].isStored)
            }
        }
    }

    /// Past this many ordinals, `refreshStoredFlags(of:)` sets every slot in one pass (and
    /// callers stop listing them).
    private var flagsSetOneByOneAtMost: Int { slots.count / 16 }

    // MARK: Records in a storage

    /// Keeps the records `ordinals` in `newStorage`, a state's storage that holds each of them at
    /// its ordinal (the state this store's records were just written as), instead of as
    /// encodings in the arena. Records that are not among `ordinals` keep (or get back) their
    /// encodings in the arena; the arena's room is given back. Without a storage, every record
    /// is in the arena.
    mutating func keepInStorage(_ ordinals: OrdinalSet, storage newStorage: TypeReadState?) {
        precondition(newStorage.map { ordinals.upperBound <= entries.count && ordinals.upperBound <= $0.data.ordinalCount } ?? true,
                     "the storage does not hold every record kept in it")
        let oldStored = stored
        let newStored = newStorage.map(StoredRecords.init)
        precondition(!arenaGivenBack || newStored != nil, "the arena was given back for a storage that is not kept")
        // The ordinals that move between arena and storage (a cycle's changes, or every record of
        // a first state).
        var moved: [Int] = []
        let many = flagsSetOneByOneAtMost
        entries.withUnsafeMutableBufferPointer { entries in
            for ordinal in entries.indices where entries[ordinal].count >= 0 {
                let keep = newStored != nil && ordinals.contains(ordinal)
                // (A record added after the storage was built is not in it: a misuse, refused.)
                precondition(!keep || newStored.unsafelyUnwrapped.holds(ordinal), "record \(ordinal) is not in the storage it is kept in")
                if entries[ordinal].isStored && !keep {
                    // Leaves the old storage: its encoding goes to the arena.
                    let count = entries[ordinal].count
                    let start = arena.count
                    if count > 0 {
                        if start &+ count > arena.capacity { HugePages.reserve(&arena, minimumCapacity: start &+ count) }
                        arena.append(contentsOf: repeatElement(0, count: count))
                        arena.withUnsafeMutableBytes { arena in
                            var writer = EncodingWriter(UnsafeMutableRawBufferPointer(rebasing: arena[start..<start &+ count]))
                            oldStored.unsafelyUnwrapped.write(ordinal, to: &writer)
                            precondition(writer.count == count, "a stored record's encoding changed length")
                        }
                    }
                    entries[ordinal].start = start
                    storedBytes &-= count
                    if moved.count <= many { moved.append(ordinal) }
                } else if !entries[ordinal].isStored && keep {
                    #if HOLLOW_INTERNAL_CHECKS
                    // (The stored record's hash is checked against the entry's by the invariants.)
                    let entry = entries[ordinal]
                    if !arenaGivenBack {
                        let same = arena.withUnsafeBytes { arena in
                            newStored!.matches(ordinal, UnsafeRawBufferPointer(rebasing: arena[entry.start..<entry.start + entry.count]))
                        }
                        precondition(same, "record \(ordinal) reads back from its storage as another encoding")
                    }
                    #endif
                    garbage &+= entries[ordinal].count
                    storedBytes &+= entries[ordinal].count
                    entries[ordinal].start = Entry.stored
                    if moved.count <= many { moved.append(ordinal) }
                }
            }
        }
        stored = newStored
        // Given back, every record the arena held was among `ordinals` (checked when it was):
        // what is left in it is only what was appended above.
        if arenaGivenBack || (garbage > 0 && garbage >= liveBytes) { packArena() }
        arenaGivenBack = false
        refreshStoredFlags(of: moved)
        _checkInvariants()
    }

    /// Takes every populated ordinal of `state` as a record kept in its storage (a write state
    /// continuing from a state read back). The store must be empty.
    mutating func adopt(_ state: TypeReadState) {
        precondition(entries.isEmpty && recordCount == 0, "adopting a storage into a store that has records")
        let data = state.data.whole
        let adopted = StoredRecords(state)
        stored = adopted
        let ordinalCount = data.ordinalCount
        HugePages.reserve(&entries, minimumCapacity: ordinalCount)
        reserveCapacity(records: data.populatedCount, bytes: 0)
        entries.append(contentsOf: repeatElement(.none, count: ordinalCount))
        // Each record's encoding made once, for its length and hash, in parts on every core: a
        // standby that takes over restores the whole state before its first cycle. The parts
        // write the entries of their own ordinals; the slots are placed after, in ordinal order.
        let partCount = Swift.max(1, Swift.min(ParallelParts.processorCount, ordinalCount / TypeWriteState.minimumOrdinalsPerBuildPart))
        let hashMask = self.hashMask
        var hashes = [UInt64](repeating: 0, count: ordinalCount)
        entries.withUnsafeMutableBufferPointer { entries in
            hashes.withUnsafeMutableBufferPointer { hashes in
                _ = ParallelParts.map(partCount) { part in
                    var encoding = ArraySink()
                    for ordinal in (ordinalCount * part / partCount)..<(ordinalCount * (part + 1) / partCount) where data.isPopulated(ordinal) {
                        encoding.bytes.removeAll(keepingCapacity: true)
                        adopted.write(ordinal, to: &encoding)
                        hashes[ordinal] = encoding.bytes.withUnsafeBytes { RecordStore.hash($0) } & hashMask
                        entries[ordinal] = Entry(start: Entry.stored, count: encoding.bytes.count)
                    }
                }
            }
        }
        for ordinal in 0..<ordinalCount where entries[ordinal].count >= 0 {
            if (recordCount &+ 1) &* 2 > slots.count { grow() }
            place(hash: hashes[ordinal], ordinal: ordinal, isStored: true)
            recordCount &+= 1
            storedBytes &+= entries[ordinal].count
        }
        _checkInvariants()
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

    private mutating func place(hash: UInt64, ordinal: Int, isStored: Bool) {
        let mask = slots.count &- 1
        let slot = Slot(key: (hash & RecordStore.tagMask) | (isStored ? RecordStore.storedFlag : 0) | UInt64(ordinal &+ 1))
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
