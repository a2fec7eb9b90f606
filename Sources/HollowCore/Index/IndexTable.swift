/// An open-addressing hash table from keys to records, shared by the primary-key and hash indexes.
/// A slot holds the first record (ordinal + 1; 0 is empty) of a key; `next`
/// chains the other records with that key. Keys are never stored: a probe compares the record's own
/// fields in place. Linear probing at a load of at most one half; deletion shifts back, so there
/// are no tombstones.
@usableFromInline
struct IndexTable: Sendable {
    @usableFromInline private(set) var slots: [UInt32]
    @usableFromInline private(set) var next: [UInt32]
    private(set) var keyCount = 0

    @usableFromInline var mask: Int { slots.count &- 1 }

    init(capacityFor keys: Int, ordinalCount: Int) {
        var size = 16
        while size < keys * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        // Records with equal keys are chained even in a primary-key index: a key on fields that turn
        // out not to be unique must still follow deltas exactly as a fresh build would.
        next = Array(repeating: 0, count: ordinalCount)
    }

    /// Bytes the table holds: its slots and its chain, as allocated.
    var memoryBytes: Int { (slots.capacity + next.capacity) * MemoryLayout<UInt32>.stride }

    /// Doubles the slots until `additional` more keys keep the load at most one half, placing each
    /// key's first record again by `hash` (the chains stay as they are).
    mutating func makeRoom(for additional: Int, hash: (Int) -> UInt64) {
        guard !hasRoom(for: additional) else { return }
        var size = slots.count
        while (keyCount + additional) * 2 > size { size <<= 1 }
        let old = slots
        slots = Array(repeating: 0, count: size)
        let mask = size &- 1
        for head in old where head != 0 {
            var slot = Int(truncatingIfNeeded: hash(Int(head) &- 1)) & mask
            while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = head
        }
    }

    /// Whether `additional` more keys keep the load at most one half.
    func hasRoom(for additional: Int) -> Bool { (keyCount + additional) * 2 <= slots.count }

    mutating func growNext(to ordinalCount: Int) {
        if next.count < ordinalCount { next.append(contentsOf: repeatElement(0, count: ordinalCount - next.count)) }
    }

    /// Adds record `ordinal` whose key hashes to `hash`; `key` reads the keys of the records.
    mutating func insert(_ ordinal: Int, hash: UInt64, key: KeyFields) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let head = slots[slot]
            if head == 0 {
                slots[slot] = UInt32(ordinal + 1)
                keyCount += 1
                return
            }
            if key.equalKeys(Int(head) - 1, ordinal) {
                next[ordinal] = head
                slots[slot] = UInt32(ordinal + 1)
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// Removes record `ordinal`; `key` reads the keys of every record in the table.
    mutating func remove(_ ordinal: Int, hash: UInt64, key: KeyFields) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let head = slots[slot]
            if head == 0 { return }  // not indexed (a null key path, say)
            let headOrdinal = Int(head) - 1
            if headOrdinal == ordinal || key.equalKeys(headOrdinal, ordinal) { break }
            slot = (slot + 1) & mask
        }
        let head = Int(slots[slot]) - 1
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
            slots[slot] = next[ordinal]
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
            let home = Int(truncatingIfNeeded: key.hash(Int(entry) - 1)) & mask
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
