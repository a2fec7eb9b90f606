extension TypeShards {
    /// The next state of this type from a delta, shard by shard (see `TypeShards`): a shard the
    /// delta adds records to, or whose ordinal count it changes, is built again by
    /// `TypeData.applying` from the part of the delta that falls in it; a shard it only removes
    /// records from keeps its storage under new populated bits; any other is shared as it is. When
    /// an added record needs a wider column or pool element, every shard is built again at the
    /// new widths: all shards keep one layout, which readers take from the first.
    func applying(_ delta: TypeDataDelta, plan: TypePlan, type: String, growthBudget: inout Int) throws(BlobError) -> TypeShards {
        let size = shardOrdinals
        if shards.count == 1 && delta.ordinalCount <= size {
            let data = try shards[0].applying(delta, plan: plan, type: type, growthBudget: &growthBudget)
            return TypeShards(shardBits: shardBits, shards: [data], holdsRemoved: [false])
        }
        let newCount = delta.ordinalCount
        let oldCount = ordinalCount
        guard newCount >= 0, newCount <= TypeData.maximumOrdinalCount else {
            throw .corrupt("\(type): ordinal count \(newCount) out of range")
        }
        let added = delta.addedRecords
        let origin = shards[0]
        guard added.ordinalCount == delta.added.count, added.widths.count == origin.widths.count, added.pools.count == origin.pools.count else {
            throw .corrupt("\(type): the delta's records do not match the type's layout")
        }
        // The order and range of every ordinal, across shards (each shard checks its own part again).
        try delta.checkOrdinals(originCount: oldCount, isRecord: isPopulated, type: type)
        // Dictionaries belong to the type, not to a shard: changed once.
        var dictionaries: [TypeData?] = origin.pools.map(\.dictionary)
        var keptMayDangle: [Int] = []
        for index in origin.pools.indices where origin.pools[index].isDictionaryCoded || added.pools[index].isDictionaryCoded {
            guard let dictionary = origin.pools[index].dictionary, let change = added.pools[index].dictionaryChange else {
                throw .corrupt("\(type): pool \(index) is coded by a dictionary in \(origin.pools[index].isDictionaryCoded ? "this state but not in the delta" : "the delta but not in this state")")
            }
            try change.addedRecords.validate(plan: .dictionary, type: "\(type): pool \(index)'s dictionary", ordinalCounts: [:])
            dictionaries[index] = try dictionary.applying(change, plan: .dictionary, type: "\(type): pool \(index)'s dictionary",
                                                          growthBudget: &growthBudget)
            if !change.removed.isEmpty || change.ordinalCount < dictionary.ordinalCount { keptMayDangle.append(index) }
        }

        let newShardCount = Swift.max(1, (newCount + size - 1) >> shardBits)
        let spanned = Swift.max(shards.count, newShardCount)
        let removedRanges = shardRanges(of: delta.removed, count: spanned)
        let addedRanges = shardRanges(of: delta.added, count: spanned)
        // Shards past the new end: every record of theirs goes.
        for shard in newShardCount..<spanned where shard < shards.count {
            guard removedRanges[shard].count == shards[shard].populatedCount else {
                throw .corrupt("\(type): shard \(shard) keeps records beyond the new ordinal count \(newCount)")
            }
        }
        let parts = try DeltaParts(delta, of: self, plan: plan, type: type)

        // What each kept shard becomes, at the widths it needs; then all at the widest.
        func build(_ shard: Int, minimumWidths: [Int], minimumUnits: [Int]) throws(BlobError) -> (TypeData, holdsRemoved: Bool) {
            let count = Swift.min(size, newCount - (shard << shardBits))
            let base = shard < shards.count ? shards[shard] : emptyShard(dictionaries: dictionaries)
            let (removed, adding) = (removedRanges[shard], addedRanges[shard])
            if adding.isEmpty && count == base.ordinalCount && base.widths == minimumWidths && base.pools.map(\.unitBits) == minimumUnits {
                var kept = base
                for index in kept.pools.indices { kept.pools[index].dictionary = dictionaries[index] }
                if !removed.isEmpty {
                    kept.populated = BitStorage(bitCount: count)
                    kept.populated.handle.copyBits(from: base.populated.handle, sourceBit: 0, to: 0, count: count)
                    let first = shard << shardBits
                    for position in removed { kept.populated.handle.write(bit: delta.removed[position] - first, width: 1, value: 0) }
                    kept.recountPopulated()
                }
                // A dictionary change that drops entries may leave a kept record without its value.
                for index in keptMayDangle {
                    try kept.checkEntries(column: plan.pools[index].endColumn, plan: plan, type: type, records: nil)
                }
                return (kept, !removed.isEmpty || (shard < holdsRemoved.count && holdsRemoved[shard]))
            }
            let part = try parts.part(shard: shard, removed: removed, added: adding, ordinalCount: count)
            let data = try base.applying(part, plan: plan, type: type, growthBudget: &growthBudget,
                                         dictionaries: dictionaries, minimumWidths: minimumWidths, minimumUnits: minimumUnits)
            return (data, false)
        }
        let (widths, units) = (origin.widths, origin.pools.map(\.unitBits))
        var built: [(TypeData, holdsRemoved: Bool)] = []
        var (widest, widestUnits) = (widths, units)
        for shard in 0..<newShardCount {
            built.append(try build(shard, minimumWidths: widths, minimumUnits: units))
            widest = zip(widest, built[shard].0.widths).map(Swift.max)
            widestUnits = zip(widestUnits, built[shard].0.pools.map(\.unitBits)).map(Swift.max)
        }
        if widest != widths || widestUnits != units {
            // Rare: a value outgrew its column. The budget was charged once already.
            var unlimited = Int.max
            swap(&unlimited, &growthBudget)
            defer { swap(&unlimited, &growthBudget) }
            for shard in 0..<newShardCount where built[shard].0.widths != widest || built[shard].0.pools.map(\.unitBits) != widestUnits {
                built[shard] = try build(shard, minimumWidths: widest, minimumUnits: widestUnits)
            }
        }
        return TypeShards(shardBits: shardBits, shards: built.map(\.0), holdsRemoved: built.map(\.holdsRemoved))
    }

    /// For ascending ordinals, the positions of those that fall in each of `count` shards.
    private func shardRanges(of ordinals: [Int], count: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for shard in 0..<count {
            var end = start
            while end < ordinals.count && ordinals[end] >> shardBits == shard { end += 1 }
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    /// A shard of no ordinals with this type's layout and tables, for a delta to grow into.
    private func emptyShard(dictionaries: [TypeData?]) -> TypeData {
        let origin = shards[0]
        let pools = origin.pools.indices.map { index in
            var pool = TypeData.Pool(unitBits: origin.pools[index].unitBits, count: 0, symbols: origin.pools[index].symbols)
            pool.dictionary = dictionaries[index]
            return pool
        }
        return TypeData(ordinalCount: 0, widths: origin.widths, pools: pools)
    }
}
