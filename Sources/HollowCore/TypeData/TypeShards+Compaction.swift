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
        for shard in shards { try shard.validate(plan: plan, type: type, ordinalCounts: ordinalCounts) }
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
