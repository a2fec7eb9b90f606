extension RecordStore {
    /// Traps when an invariant does not hold. Compiled to nothing without `HOLLOW_INTERNAL_CHECKS`.
    @inline(__always)
    func _checkInvariants() {
        #if HOLLOW_INTERNAL_CHECKS
        if let violation = _invariantViolation() { preconditionFailure("RecordStore: \(violation)") }
        #endif
    }

    /// The first invariant (listed on `RecordStore`) that does not hold, or nil. It hashes every
    /// record again: run it where a store is complete (a commit, a compaction), not per insert.
    func _invariantViolation() -> String? {
        var live = 0
        var storedCount = 0
        var records = 0
        for (ordinal, entry) in entries.enumerated() where entry.count >= 0 {
            if entry.isStored {
                guard let stored, stored.holds(ordinal) else { return "record \(ordinal) is not in the storage" }
                var counter = CountingSink()
                stored.write(ordinal, to: &counter)
                guard counter.count == entry.count else { return "stored record \(ordinal)'s length" }
                // The fast comparison agrees with the encoding written.
                var written = ArraySink()
                stored.write(ordinal, to: &written)
                guard written.bytes.withUnsafeBytes({ stored.matches(ordinal, $0) }) else { return "stored record \(ordinal) does not match its own encoding" }
                storedCount += entry.count
            } else {
                guard entry.start >= 0, entry.start + entry.count <= arena.count else { return "entry \(ordinal) outside the arena" }
                live += entry.count
            }
            records += 1
            let hash = withContent(ordinal) { RecordStore.hash($0) } & hashMask
            let mask = slots.count - 1
            var index = home(hash)
            var found = false
            while slots[index].key != 0 {
                if slots[index].key & RecordStore.ordinalMask == UInt64(ordinal + 1) {
                    guard slots[index].key & RecordStore.tagMask == hash & RecordStore.tagMask else { return "slot tag of \(ordinal)" }
                    guard slots[index].isStored == entry.isStored else { return "slot of \(ordinal) says it is \(entry.isStored ? "not " : "")stored" }
                    found = true
                    break
                }
                index = (index + 1) & mask
            }
            guard found else { return "ordinal \(ordinal) not reachable from its home" }
        }
        let used = slots.filter { $0.key != 0 }
        guard used.count == records else { return "\(used.count) slots for \(records) records" }
        for slot in used {
            let ordinal = slot.ordinal
            guard contains(ordinal) else { return "slot names ordinal \(ordinal) without a record" }
        }
        guard records == recordCount else { return "recordCount \(recordCount), counted \(records)" }
        guard recordCount * 2 <= slots.count else { return "load above one half" }
        guard arena.count - live == garbage else { return "garbage \(garbage), counted \(arena.count - live)" }
        guard storedCount == storedBytes else { return "storedBytes \(storedBytes), counted \(storedCount)" }
        return nil
    }
}
