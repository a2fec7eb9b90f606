/// An open-addressing hash table from keys to records, shared by the primary-key and hash indexes.
/// A slot holds the first record of a key (ordinal + 1 in the low `ordinalBits` bits; 0 is empty)
/// and, in the bits above, a tag: those bits of the key's hash. `next` chains the other records
/// with that key (ordinal + 1). Keys are never stored: a probe compares a record's own fields in
/// place, and only when the tag agrees, so a probe passing other keys rarely reads them. Linear
/// probing at a load of at most one half; deletion shifts back, so there are no tombstones.
@usableFromInline
struct IndexTable: Sendable {
    @usableFromInline private(set) var slots: IndexWords
    @usableFromInline private(set) var next: IndexWords
    private(set) var keyCount = 0
    /// Low bits of a slot that hold ordinal + 1: enough for every ordinal of the state indexed.
    @usableFromInline private(set) var ordinalBits: Int
    /// The least `ordinalBits`; tests raise it to shorten the tags, so that probes compare keys.
    let minimumOrdinalBits: Int
    /// Whether the table was built here from the records' keys (or updated from such a table).
    /// A table read from an image is only known to be safe to probe (`StateImage`): its index is
    /// rebuilt, not updated, when a delta changes its type.
    private(set) var isVerified = true

    @usableFromInline var mask: Int { slots.count &- 1 }
    @usableFromInline var ordinalMask: UInt32 { UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(ordinalBits)) &- 1) }

    init(capacityFor keys: Int, ordinalCount: Int, minimumOrdinalBits: Int = 1) {
        var size = 16
        while size < keys * 2 { size <<= 1 }
        slots = IndexWords(zeros: size)
        // Records with equal keys are chained even in a primary-key index: a key on fields that turn
        // out not to be unique must still follow deltas exactly as a fresh build would.
        next = IndexWords(zeros: ordinalCount)
        self.minimumOrdinalBits = Swift.min(32, Swift.max(1, minimumOrdinalBits))
        ordinalBits = IndexTable.ordinalBits(for: ordinalCount, minimum: self.minimumOrdinalBits)
    }

    /// A table of words read from a state image (checked by its reader, `StateImage`).
    init(slots: IndexWords, next: IndexWords, keyCount: Int, ordinalBits: Int, minimumOrdinalBits: Int) {
        self.slots = slots
        self.next = next
        self.keyCount = keyCount
        self.ordinalBits = ordinalBits
        self.minimumOrdinalBits = minimumOrdinalBits
        isVerified = false
    }

    /// Bits for ordinal + 1 of `ordinalCount` ordinals (at least `minimum`, at most 32).
    static func ordinalBits(for ordinalCount: Int, minimum: Int) -> Int {
        Swift.min(32, Swift.max(minimum, Int.bitWidth - ordinalCount.leadingZeroBitCount))
    }

    /// The tag of a key hash in a table of `ordinalBits`: the hash's high word above those bits.
    @inlinable @inline(__always)
    static func tag(_ hash: UInt64, ordinalBits: Int) -> UInt32 {
        ordinalBits >= 32 ? 0 : UInt32(truncatingIfNeeded: hash &>> 32) & ~UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(ordinalBits)) &- 1)
    }

    @inlinable @inline(__always)
    func tag(_ hash: UInt64) -> UInt32 { IndexTable.tag(hash, ordinalBits: ordinalBits) }

    /// The first record of the key in a slot in use.
    @inlinable @inline(__always)
    func head(_ entry: UInt32) -> Int { Int(truncatingIfNeeded: entry & ordinalMask) &- 1 }

    /// What a build read from the slots it warmed (`homeSlot`), kept so that the compiler keeps
    /// those reads, whose only purpose is to bring the slots into cache.
    var warmedSlots: UInt32 = 0

    /// The home slot of a key hash: read ahead of inserting, to bring it into cache.
    @inline(__always)
    func homeSlot(_ hash: UInt64) -> UInt32 { slots[Int(truncatingIfNeeded: hash) & mask] }

    /// Bytes the table holds: its slots and its chain.
    var memoryBytes: Int { (slots.count + next.count) * MemoryLayout<UInt32>.stride }

    /// Copies the slots and the chain that this table shares (with the index of an earlier state)
    /// or maps (from a state image), so that it can change them. Call before the first write.
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&slots) || slots.isMapped { slots = IndexWords(copying: slots, count: slots.count) }
        if !isKnownUniquelyReferenced(&next) || next.isMapped { next = IndexWords(copying: next, count: next.count) }
    }

    /// Whether this table may write its words (`makeUnique()` was called since it was shared).
    private mutating func isWritable() -> Bool {
        isKnownUniquelyReferenced(&slots) && !slots.isMapped && isKnownUniquelyReferenced(&next) && !next.isMapped
    }

    /// Doubles the slots until `additional` more keys keep the load at most one half, placing each
    /// key's first record again by `hash` (the chains stay as they are).
    mutating func makeRoom(for additional: Int, hash: (Int) -> UInt64) {
        guard !hasRoom(for: additional) else { return }
        var size = slots.count
        while (keyCount + additional) * 2 > size { size <<= 1 }
        let old = slots
        slots = IndexWords(zeros: size)
        let mask = size &- 1
        for entry in old.buffer where entry != 0 {
            var slot = Int(truncatingIfNeeded: hash(head(entry))) & mask
            while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = entry
        }
    }

    /// Whether `additional` more keys keep the load at most one half.
    func hasRoom(for additional: Int) -> Bool { (keyCount + additional) * 2 <= slots.count }

    /// Makes room for ordinals below `ordinalCount`: a longer chain and, past the ordinals the slots
    /// can hold, wider ordinals in every slot (the tags keep their higher bits; no key is rehashed).
    mutating func growNext(to ordinalCount: Int) {
        if next.count < ordinalCount { next = IndexWords(copying: next, count: ordinalCount) }
        let bits = IndexTable.ordinalBits(for: ordinalCount, minimum: minimumOrdinalBits)
        guard bits > ordinalBits else { return }
        let oldMask = ordinalMask
        ordinalBits = bits
        let tagMask = ~ordinalMask
        for index in 0..<slots.count where slots[index] != 0 {
            slots[index] = (slots[index] & tagMask) | (slots[index] & oldMask)
        }
    }

    /// Adds record `ordinal` whose key hashes to `hash`; `key` reads the keys of the records.
    mutating func insert(_ ordinal: Int, hash: UInt64, key: KeyFields) {
        precondition(ordinal >= 0 && ordinal < next.count, "ordinal \(ordinal) past the table's \(next.count)")
        assert(isWritable(), "an index table written while it shares its words")
        let tag = tag(hash)
        let ordinalMask = ordinalMask
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 {
                slots[slot] = tag | UInt32(ordinal + 1)
                keyCount += 1
                return
            }
            if entry & ~ordinalMask == tag && key.equalKeys(head(entry), ordinal) {
                next[ordinal] = entry & ordinalMask
                slots[slot] = tag | UInt32(ordinal + 1)
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// Removes record `ordinal`; `key` reads the keys of every record in the table.
    mutating func remove(_ ordinal: Int, hash: UInt64, key: KeyFields) {
        assert(isWritable(), "an index table written while it shares its words")
        let tag = tag(hash)
        let ordinalMask = ordinalMask
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return }  // not indexed (a null key path, say)
            if entry & ~ordinalMask == tag {
                let headOrdinal = head(entry)
                if headOrdinal == ordinal || key.equalKeys(headOrdinal, ordinal) { break }
            }
            slot = (slot + 1) & mask
        }
        let head = head(slots[slot])
        if head != ordinal {
            var previous = head
            while next[previous] != 0 && Int(next[previous]) - 1 != ordinal { previous = Int(next[previous]) - 1 }
            if next[previous] != 0 {
                next[previous] = next[ordinal]
                next[ordinal] = 0
            }
            return
        }
        if next[ordinal] != 0 {
            slots[slot] = tag | next[ordinal]
            next[ordinal] = 0
            return
        }
        // The key is gone: empty the slot and shift back the entries that probed past it.
        slots[slot] = 0
        keyCount -= 1
        var hole = slot
        var probe = slot
        while true {
            probe = (probe + 1) & mask
            let entry = slots[probe]
            if entry == 0 { return }
            let home = Int(truncatingIfNeeded: key.hash(self.head(entry))) & mask
            // Move the entry into the hole unless its home lies cyclically in (hole, probe].
            let distanceToProbe = (probe - home) & mask
            let distanceToHole = (hole - home) & mask
            if distanceToHole < distanceToProbe {
                slots[hole] = entry
                slots[probe] = 0
                hole = probe
            }
        }
    }
}
