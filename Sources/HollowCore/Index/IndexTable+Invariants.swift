/// What must hold of an index table after each build and each update: a power-of-two table at most
/// half full, `keyCount` slots in use, ordinals that fit their bits, every record in at most one
/// chain, chains that end, and (given the key hash) every slot tagged by its key's hash and
/// reachable from its home slot without crossing an empty slot.
extension IndexTable {
    /// Traps when an invariant does not hold. Compiled to nothing without `HOLLOW_INTERNAL_CHECKS`.
    @inline(__always)
    func _checkInvariants(hash: @escaping (Int) -> UInt64, sameKey: @escaping (Int, Int) -> Bool, isRecord: @escaping (Int) -> Bool) {
        #if HOLLOW_INTERNAL_CHECKS
        if let violation = _invariantViolation(hash: hash, sameKey: sameKey, isRecord: isRecord) { preconditionFailure("IndexTable: \(violation)") }
        #endif
    }

    /// The first invariant that does not hold, or nil; `hash` gives the key hash of a record,
    /// `sameKey` whether two records have equal keys (only records are hashed and compared:
    /// `isRecord` says which ordinals hold one).
    func _invariantViolation(hash: ((Int) -> UInt64)? = nil, sameKey: ((Int, Int) -> Bool)? = nil, isRecord: ((Int) -> Bool)? = nil) -> String? {
        IndexTable._invariantViolation(slots: slots.buffer, next: next.buffer, keyCount: keyCount, ordinalBits: ordinalBits, hash: hash,
                                       isRecord: isRecord, sameKey: sameKey)
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
    /// `isRecord`, when given, must hold of every ordinal indexed (a table read from an image);
    /// with `sameKey`, no key is in two slots and a chain holds one key (the hash must be given
    /// too: slots with one key meet on one probe path).
    static func _invariantViolation(slots: UnsafeBufferPointer<UInt32>, next: UnsafeBufferPointer<UInt32>, keyCount: Int,
                                    ordinalBits: Int, hash: ((Int) -> UInt64)?, isRecord: ((Int) -> Bool)? = nil,
                                    sameKey: ((Int, Int) -> Bool)? = nil) -> String? {
        guard (1...32).contains(ordinalBits), next.count < (1 << ordinalBits) else {
            return "\(ordinalBits) ordinal bits for \(next.count) ordinals"
        }
        let ordinalMask = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(ordinalBits)) - 1)
        guard slots.count >= 16, slots.count & (slots.count - 1) == 0 else { return "\(slots.count) slots: not a power of two of at least 16" }
        let mask = slots.count - 1
        let used = slots.count { $0 != 0 }
        guard used == keyCount else { return "\(used) slots in use for \(keyCount) keys" }
        guard keyCount * 2 <= slots.count else { return "\(keyCount) keys in \(slots.count) slots: load above one half" }
        // Sequential passes over the slots and the chain, with one bit an ordinal (a table of
        // millions of records is checked in cache): the heads of the slots, then each link, then
        // the walk of the chains longer than one.
        let words = (next.count + 63) >> 6
        var isHead = [UInt64](repeating: 0, count: words)
        var hasPredecessor = [UInt64](repeating: 0, count: words)
        func test(_ bits: [UInt64], _ ordinal: Int) -> Bool { bits[ordinal >> 6] & (1 << UInt64(ordinal & 63)) != 0 }
        func set(_ bits: inout [UInt64], _ ordinal: Int) { bits[ordinal >> 6] |= 1 << UInt64(ordinal & 63) }
        for slot in 0..<slots.count where slots[slot] != 0 {
            let entry = slots[slot]
            let head = Int(entry & ordinalMask)
            guard head != 0 else { return "slot \(slot) holds a tag without an ordinal" }
            let ordinal = head - 1
            guard ordinal < next.count else { return "slot \(slot) leads to ordinal \(ordinal), past \(next.count)" }
            guard !test(isHead, ordinal) else { return "ordinal \(ordinal) is reached twice (a chain loops, or joins another)" }
            if let isRecord, !isRecord(ordinal) { return "slot \(slot) leads to ordinal \(ordinal), which holds no record" }
            set(&isHead, ordinal)
            if let hash {
                let keyHash = hash(ordinal)
                guard entry & ~ordinalMask == IndexTable.tag(keyHash, ordinalBits: ordinalBits) else {
                    return "slot \(slot): its tag is not its key's"
                }
                var probe = Int(truncatingIfNeeded: keyHash) & mask
                while probe != slot {
                    guard slots[probe] != 0 else { return "slot \(slot) is not reachable from its home \(probe)" }
                    // A slot of the same key before this one would take every lookup of the key.
                    // (The other slot's ordinal may not be checked yet: only a record's key is read.)
                    let other = Int(slots[probe] & ordinalMask) - 1
                    if let sameKey, slots[probe] & ~ordinalMask == entry & ~ordinalMask, other >= 0, other < next.count,
                       isRecord?(other) ?? true, sameKey(other, ordinal) {
                        return "slots \(probe) and \(slot) hold one key"
                    }
                    probe = (probe + 1) & mask
                }
            }
        }
        var links = 0
        for ordinal in 0..<next.count where next[ordinal] != 0 {
            let target = Int(next[ordinal]) - 1
            guard target < next.count else { return "ordinal \(ordinal) links to ordinal \(target), past \(next.count)" }
            guard !test(hasPredecessor, target) else { return "ordinal \(target) is reached twice (a chain loops, or joins another)" }
            set(&hasPredecessor, target)
            links += 1
        }
        for ordinal in 0..<next.count where next[ordinal] != 0 {
            guard test(isHead, ordinal) || test(hasPredecessor, ordinal) else {
                return "ordinal \(ordinal) is in no chain, but links to \(next[ordinal] - 1)"
            }
            let target = Int(next[ordinal]) - 1
            guard !test(isHead, target) else { return "ordinal \(target) is reached twice (a chain loops, or joins another)" }
            if let isRecord, !isRecord(target) { return "ordinal \(ordinal) links to ordinal \(target), which holds no record" }
            if let isRecord, !isRecord(ordinal) { return "ordinal \(ordinal), in a chain, holds no record" }
            if let sameKey, !sameKey(ordinal, target) { return "ordinal \(ordinal) links to ordinal \(target), of another key" }
        }
        // Every ordinal has at most one link into it and a head none, so a chain from a head ends;
        // a loop would be links no chain from a head reaches.
        var reached = 0
        var walked = [UInt64](repeating: 0, count: links > 0 ? words : 0)
        for head in 0..<next.count where next[head] != 0 && test(isHead, head) {
            var ordinal = Int(next[head]) - 1
            while true {
                reached += 1
                set(&walked, ordinal)
                guard next[ordinal] != 0 else { break }
                ordinal = Int(next[ordinal]) - 1
            }
        }
        if reached != links, let looping = (0..<next.count).first(where: { test(hasPredecessor, $0) && !test(walked, $0) }) {
            return "ordinal \(looping) is reached twice (a chain loops, or joins another)"
        }
        return nil
    }
}
