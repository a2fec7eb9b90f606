extension TypeShards {
    /// `data` (a type read whole from a blob, and validated) split in shards of `2^shardBits`
    /// ordinals: each shard's records are copied as they are, its runs of each pool copied out,
    /// and its end offsets made to start at 0. A type of at most one shard's ordinals is kept as it is.
    init(splitting data: TypeData, plan: TypePlan, shardBits: Int) {
        let size = 1 << shardBits
        guard data.ordinalCount > size else {
            self.init(shardBits: shardBits, shards: [data], holdsRemoved: [false])
            return
        }
        let entryColumns = data.dictionaryColumns(plan)
        let endColumns = plan.poolEndColumns.filter { !entryColumns.contains($0) }
        var shards: [TypeData] = []
        var first = 0
        while first < data.ordinalCount {
            let count = Swift.min(size, data.ordinalCount - first)
            // Where this shard's runs start and end in each pool, by its end column.
            var runs: [Int: Range<Int>] = [:]
            for column in endColumns {
                let start = first == 0 ? 0 : Int(truncatingIfNeeded: data.value(first - 1, column))
                runs[column] = start..<Int(truncatingIfNeeded: data.value(first + count - 1, column))
            }
            let pools = plan.pools.indices.map { index in
                let source = data.pools[index]
                let run = runs[plan.pools[index].endColumn] ?? 0..<0
                var pool = TypeData.Pool(unitBits: source.unitBits, count: run.count, symbols: source.symbols)
                pool.dictionary = source.dictionary
                pool.storage.handle.copyBits(from: source.storage.handle, sourceBit: run.lowerBound * source.unitBits,
                                             to: 0, count: run.count * source.unitBits)
                return pool
            }
            var shard = TypeData(ordinalCount: count, widths: data.widths, pools: pools)
            shard.populated.handle.copyBits(from: data.populated.handle, sourceBit: first, to: 0, count: count)
            shard.recountPopulated()
            shard.fixed.handle.copyBits(from: data.fixed.handle, sourceBit: first * data.recordBits, to: 0, count: count * data.recordBits)
            for column in endColumns where runs[column]!.lowerBound > 0 {
                let base = UInt64(runs[column]!.lowerBound)
                for ordinal in 0..<count { shard.setValue(ordinal, column, shard.value(ordinal, column) - base) }
            }
            shards.append(shard)
            first += count
        }
        self.init(shardBits: shardBits, shards: shards, holdsRemoved: Array(repeating: false, count: shards.count), populated: data.populated)
    }
}
