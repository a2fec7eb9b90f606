/// What must hold of an index table after each build and each update: a power-of-two table at most
/// half full, `keyCount` slots in use, ordinals that fit their bits, every record in at most one
/// chain, chains that end, and (given the key hash) every slot tagged by its key's hash and
/// reachable from its home slot without crossing an empty slot.
extension IndexTable {
    /// Traps when an invariant does not hold. Compiled to nothing without `HOLLOW_INTERNAL_CHECKS`.
    @inline(__always)
    func _checkInvariants(hash: @escaping (Int) -> UInt64) {
        #if HOLLOW_INTERNAL_CHECKS
        if let violation = _invariantViolation(hash: hash) { preconditionFailure("IndexTable: \(violation)") }
        #endif
    }

    /// The first invariant that does not hold, or nil; `hash` gives the key hash of a record.
    func _invariantViolation(hash: ((Int) -> UInt64)? = nil) -> String? {
        IndexTable._invariantViolation(slots: slots.buffer, next: next.buffer, keyCount: keyCount, ordinalBits: ordinalBits, hash: hash)
    }

    /// The checks on the parts of a table, so that a test can hand them a broken one.
    static func _invariantViolation(slots: [UInt32], next: [UInt32], keyCount: Int, ordinalBits: Int = 32,
                                    hash: ((Int) -> UInt64)?) -> String? {
        slots.withUnsafeBufferPointer { slots in
            next.withUnsafeBufferPointer { next in
                _invariantViolation(slots: slots, next: next, keyCount: keyCount, ordinalBits: ordinalBits, hash: hash)
            }
        }
    }

    /// The checks on the words of a table (owned, or mapped from a state image).
    /// `isRecord`, when given, must hold of every ordinal indexed (a table read from an image).
    static func _invariantViolation(slots: UnsafeBufferPointer<UInt32>, next: UnsafeBufferPointer<UInt32>, keyCount: Int,
                                    ordinalBits: Int, hash: ((Int) -> UInt64)?, isRecord: ((Int) -> Bool)? = nil) -> String? {
        guard (1...32).contains(ordinalBits), next.count < (1 << ordinalBits) else {
            return "\(ordinalBits) ordinal bits for \(next.count) ordinals"
        }
        let ordinalMask = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(ordinalBits)) - 1)
        guard slots.count >= 16, slots.count & (slots.count - 1) == 0 else { return "\(slots.count) slots: not a power of two of at least 16" }
        let mask = slots.count - 1
        let used = slots.count { $0 != 0 }
        guard used == keyCount else { return "\(used) slots in use for \(keyCount) keys" }
        guard keyCount * 2 <= slots.count else { return "\(keyCount) keys in \(slots.count) slots: load above one half" }
        // One bit an ordinal: a table of millions of records is checked in cache.
        var indexed = [UInt64](repeating: 0, count: (next.count + 63) >> 6)
        func isIndexed(_ ordinal: Int) -> Bool { indexed[ordinal >> 6] & (1 << UInt64(ordinal & 63)) != 0 }
        for (slot, entry) in slots.enumerated() where entry != 0 {
            let head = Int(entry & ordinalMask)
            guard head != 0 else { return "slot \(slot) holds a tag without an ordinal" }
            var ordinal = head - 1
            while true {
                guard ordinal < next.count else { return "slot \(slot) leads to ordinal \(ordinal), past \(next.count)" }
                guard !isIndexed(ordinal) else { return "ordinal \(ordinal) is reached twice (a chain loops, or joins another)" }
                if let isRecord, !isRecord(ordinal) { return "slot \(slot) leads to ordinal \(ordinal), which holds no record" }
                indexed[ordinal >> 6] |= 1 << UInt64(ordinal & 63)
                guard next[ordinal] != 0 else { break }
                ordinal = Int(next[ordinal]) - 1
            }
            if let hash {
                let keyHash = hash(head - 1)
                guard entry & ~ordinalMask == IndexTable.tag(keyHash, ordinalBits: ordinalBits) else {
                    return "slot \(slot): its tag is not its key's"
                }
                var probe = Int(truncatingIfNeeded: keyHash) & mask
                while probe != slot {
                    guard slots[probe] != 0 else { return "slot \(slot) is not reachable from its home \(probe)" }
                    probe = (probe + 1) & mask
                }
            }
        }
        for ordinal in next.indices where next[ordinal] != 0 && !isIndexed(ordinal) {
            return "ordinal \(ordinal) is in no chain, but links to \(next[ordinal] - 1)"
        }
        return nil
    }
}
