/// What must hold of a type's shards once complete (see `TypeData+Invariants.swift`): every shard
/// full but the last, one layout and one set of tables in all, and the type's populated bits
/// those of its shards side by side.
extension TypeShards {
    /// Traps when an invariant does not hold. Compiled to nothing without `HOLLOW_INTERNAL_CHECKS`.
    @inline(__always)
    func _checkInvariants(plan: TypePlan? = nil) {
        #if HOLLOW_INTERNAL_CHECKS
        if let violation = _invariantViolation(plan: plan) { preconditionFailure("TypeShards: \(violation)") }
        #endif
    }

    func _invariantViolation(plan: TypePlan? = nil) -> String? {
        guard !shards.isEmpty, shards.count == holdsRemoved.count else { return "\(shards.count) shards, \(holdsRemoved.count) flags" }
        guard shardBits == TypeShards.whole ? shards.count == 1 : (1...30).contains(shardBits) else { return "\(shards.count) shards of \(shardBits) bits" }
        var count = 0
        for (index, shard) in shards.enumerated() {
            // A shard that keeps removed records has values where no record is: its layout is checked, not its values.
            if let violation = shard._invariantViolation(plan: holdsRemoved[index] ? nil : plan) { return "shard \(index): \(violation)" }
            guard index == shards.count - 1 || shard.ordinalCount == shardOrdinals else {
                return "shard \(index) of \(shards.count) holds \(shard.ordinalCount) ordinals, not \(shardOrdinals)"
            }
            guard shard.widths == shards[0].widths else { return "shard \(index)'s widths differ from shard 0's" }
            for pool in shard.pools.indices {
                guard shard.pools[pool].unitBits == shards[0].pools[pool].unitBits else { return "shard \(index)'s pool \(pool) has elements of another size" }
                guard shard.pools[pool].symbols == shards[0].pools[pool].symbols,
                      shard.pools[pool].dictionary?.fixed === shards[0].pools[pool].dictionary?.fixed else {
                    return "shard \(index)'s pool \(pool) has tables of its own"
                }
            }
            for ordinal in 0..<shard.ordinalCount where shard.isPopulated(ordinal) != isPopulated((index << shardBits) + ordinal) {
                return "ordinal \((index << shardBits) + ordinal): the type's populated bit differs from its shard's"
            }
            count += shard.populatedCount
        }
        guard populated.handle.bitCapacity >= ordinalCount else { return "populated bits for fewer than \(ordinalCount) ordinals" }
        guard count == populatedCount else { return "populated count \(populatedCount), the shards hold \(count)" }
        return nil
    }
}
