extension TypeShards {
    /// Cuts a delta of a type split in shards into the part each shard applies: its removed and
    /// added ordinals made local, and its added records with their runs. A run an added record
    /// takes from a removed one (`TypeDataDelta.copies`) may come from another shard, so a part
    /// carries every run itself, copied out of the lending shard, and no copies.
    struct DeltaParts {
        let delta: TypeDataDelta
        let shards: TypeShards
        let plan: TypePlan
        let type: String
        /// Per pool: the removed record (an index into `delta.removed`) whose run each added record
        /// (an index into `delta.added`) takes, from the copies of the pool's end column.
        let lenders: [[Int: Int]]

        /// Checks the copies against the delta: in range, ascending, each removed record lending
        /// once, and taken only by added records that carry an empty run of their own.
        init(_ delta: TypeDataDelta, of shards: TypeShards, plan: TypePlan, type: String) throws(BlobError) {
            self.delta = delta
            self.shards = shards
            self.plan = plan
            self.type = type
            let endColumns = plan.poolEndColumns
            guard delta.copies.isEmpty || delta.copies.count == endColumns.count else {
                throw .corrupt("\(type): copies for \(delta.copies.count) pool end columns, the type has \(endColumns.count)")
            }
            let added = delta.addedRecords
            var byColumn: [Int: [Int: Int]] = [:]
            for (position, copies) in delta.copies.enumerated() where !copies.isEmpty {
                let column = endColumns[position]
                guard let pool = plan.pools.firstIndex(where: { $0.endColumn == column }),
                      !shards.shards[0].pools[pool].isDictionaryCoded, !added.pools[pool].isDictionaryCoded else {
                    throw .corrupt("\(type): runs copied into column \(column), which holds dictionary entries")
                }
                var taken: [Int: Int] = [:]
                var lent: Set<Int> = []
                var previous = -1
                for copy in copies {
                    guard copy.added > previous, copy.added < delta.added.count, copy.removed >= 0, copy.removed < delta.removed.count,
                          lent.insert(copy.removed).inserted, added.poolRange(copy.added, endColumn: column).isEmpty else {
                        throw .corrupt("\(type): added record \(copy.added) takes a run it also carries, or names a record past the delta's")
                    }
                    previous = copy.added
                    taken[copy.added] = copy.removed
                }
                byColumn[column] = taken
            }
            lenders = plan.pools.map { byColumn[$0.endColumn] ?? [:] }
        }

        /// The part of the delta for shard `shard`: `removed` and `added` are positions in the
        /// delta's lists, `ordinalCount` the shard's count after it.
        func part(shard: Int, removed: Range<Int>, added adding: Range<Int>, ordinalCount: Int) throws(BlobError) -> TypeDataDelta {
            let first = shard << shards.shardBits
            let added = delta.addedRecords
            let entryColumns = added.dictionaryColumns(plan).union(shards.shards[0].dictionaryColumns(plan))
            // Each pool's runs, in the added records or in the shard that lends them.
            var widths = added.widths
            var pools: [TypeData.Pool] = []
            var runs: [[(pool: TypeData.Pool, range: Range<Int>)]] = []
            for (index, poolPlan) in plan.pools.enumerated() {
                let source = added.pools[index]
                var records: [(pool: TypeData.Pool, range: Range<Int>)] = []
                var total = 0
                if !entryColumns.contains(poolPlan.endColumn) {
                    for position in adding {
                        var run = (pool: source, range: added.poolRange(position, endColumn: poolPlan.endColumn))
                        if let lender = lenders[index][position] {
                            let ordinal = delta.removed[lender]
                            let owner = shards.shards[ordinal >> shards.shardBits]
                            run = (owner.pools[index], owner.poolRange(ordinal & (shards.shardOrdinals - 1), endColumn: poolPlan.endColumn))
                            guard run.pool.unitBits == source.unitBits else {
                                throw .corrupt("\(type): added record \(position) takes a run of \(run.pool.unitBits)-bit elements into a pool of \(source.unitBits)-bit ones")
                            }
                        }
                        guard run.range.lowerBound >= 0, run.range.lowerBound <= run.range.upperBound, run.range.upperBound <= run.pool.count else {
                            throw .corrupt("\(type): added record \(position) has a pool range \(run.range) out of bounds")
                        }
                        total += run.range.count
                        records.append(run)
                    }
                }
                var pool = TypeData.Pool(unitBits: source.unitBits, count: total, symbols: source.symbols)
                pool.borrowsSymbols = source.borrowsSymbols
                pool.dictionaryChange = source.dictionaryChange
                pools.append(pool)
                runs.append(records)
                if !entryColumns.contains(poolPlan.endColumn) {
                    widths[poolPlan.endColumn] = Swift.max(widths[poolPlan.endColumn], BitWidth.needed(for: UInt64(total)))
                }
            }
            var records = TypeData(ordinalCount: adding.count, widths: widths, pools: pools)
            records.populated.handle.fill(bitCount: adding.count)
            records.populatedCount = adding.count
            for (local, position) in adding.enumerated() {
                for column in widths.indices { records.setValue(local, column, added.value(position, column)) }
            }
            // The runs side by side, each pool's end column rewritten to match.
            var written: Set<Int> = []
            for (index, poolPlan) in plan.pools.enumerated() where !entryColumns.contains(poolPlan.endColumn) {
                var running = 0
                let unit = pools[index].unitBits
                for (local, run) in runs[index].enumerated() {
                    records.pools[index].storage.handle.copyBits(from: run.pool.storage.handle, sourceBit: run.range.lowerBound * unit,
                                                                 to: running * unit, count: run.range.count * unit)
                    running += run.range.count
                    if !written.contains(poolPlan.endColumn) { records.setValue(local, poolPlan.endColumn, UInt64(running)) }
                }
                written.insert(poolPlan.endColumn)
            }
            return TypeDataDelta(ordinalCount: ordinalCount,
                                 removed: delta.removed[removed].map { $0 - first },
                                 added: delta.added[adding].map { $0 - first },
                                 addedRecords: records)
        }
    }
}
