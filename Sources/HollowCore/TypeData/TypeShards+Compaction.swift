extension TypeShards {
    /// This storage with every shard that holds removed records built again without them, so that
    /// every ordinal that holds no record holds zeros, as in a loaded storage: before its values
    /// are checked again, and before it is written to a state image.
    func compacted(plan: TypePlan, type: String) throws(BlobError) -> TypeShards {
        guard holdsRemoved.contains(true) else { return self }
        var shards = self.shards
        var unlimited = Int.max
        for index in shards.indices where holdsRemoved[index] {
            let shard = shards[index]
            shards[index] = try shard.applying(shard.noChange(plan: plan), plan: plan, type: type, growthBudget: &unlimited,
                                               dictionaries: shard.pools.map(\.dictionary))
        }
        return TypeShards(shardBits: shardBits, shards: shards, holdsRemoved: Array(repeating: false, count: shards.count),
                          populated: populated)
    }

    /// Checks the values of every shard (`TypeData.validate`); a storage that holds removed
    /// records is compacted first.
    func validate(plan: TypePlan, type: String, ordinalCounts: [String: Int]) throws(BlobError) {
        precondition(!holdsRemoved.contains(true), "values checked in shards that hold removed records")
        for (index, shard) in shards.enumerated() {
            try shard.validate(plan: plan, type: type, ordinalCounts: ordinalCounts, dictionariesChecked: index > 0)
        }
    }
}

extension TypeData {
    /// A delta that changes nothing in this storage: applied, it builds the storage again.
    func noChange(plan: TypePlan) -> TypeDataDelta {
        let empty = pools.map { pool in
            var empty = TypeData.Pool(unitBits: pool.unitBits, count: 0, symbols: nil)
            empty.borrowsSymbols = pool.symbols != nil
            if let dictionary = pool.dictionary { empty.dictionaryChange = dictionary.noChange(plan: .dictionary) }
            return empty
        }
        return TypeDataDelta(ordinalCount: ordinalCount, removed: [], added: [], addedRecords: TypeData(ordinalCount: 0, widths: widths, pools: empty))
    }
}

extension TypeShards {
    /// The type as one storage (a write state restored from a consumer's state reads it so): the
    /// shards, without the records they keep after their removal, side by side, each one's end
    /// offsets moved past the pools of the shards before it.
    func merged(plan: TypePlan, type: String) throws(BlobError) -> TypeData {
        guard shards.count > 1 else { return shards[0] }
        let clean = try compacted(plan: plan, type: type)
        let first = clean.shards[0]
        let entryColumns = first.dictionaryColumns(plan)
        let pools = plan.pools.indices.map { index in
            var pool = TypeData.Pool(unitBits: first.pools[index].unitBits, count: clean.shards.reduce(0) { $0 + $1.pools[index].count },
                                     symbols: first.pools[index].symbols)
            pool.dictionary = first.pools[index].dictionary
            return pool
        }
        // End offsets of the whole pools may need more bits than a shard's.
        var widths = first.widths
        for (index, pool) in plan.pools.enumerated() where !entryColumns.contains(pool.endColumn) {
            widths[pool.endColumn] = Swift.max(widths[pool.endColumn], BitWidth.needed(for: UInt64(pools[index].count)))
        }
        var data = TypeData(ordinalCount: clean.ordinalCount, widths: widths, pools: pools)
        data.populated.handle.copyBits(from: clean.populated.handle, sourceBit: 0, to: 0, count: clean.ordinalCount)
        data.recountPopulated()
        var bases = pools.map { _ in 0 }
        for (index, shard) in clean.shards.enumerated() {
            let first = index << shardBits
            for ordinal in 0..<shard.ordinalCount {
                for column in widths.indices { data.setValue(first + ordinal, column, shard.value(ordinal, column)) }
            }
            for (pool, poolPlan) in plan.pools.enumerated() where !entryColumns.contains(poolPlan.endColumn) {
                let unit = shard.pools[pool].unitBits
                data.pools[pool].storage.handle.copyBits(from: shard.pools[pool].storage.handle, sourceBit: 0,
                                                         to: bases[pool] * unit, count: shard.pools[pool].count * unit)
                if bases[pool] > 0 && plan.pools.firstIndex(where: { $0.endColumn == poolPlan.endColumn }) == pool {
                    for ordinal in 0..<shard.ordinalCount {
                        data.setValue(first + ordinal, poolPlan.endColumn, data.value(first + ordinal, poolPlan.endColumn) + UInt64(bases[pool]))
                    }
                }
                bases[pool] += shard.pools[pool].count
            }
        }
        return data
    }
}
