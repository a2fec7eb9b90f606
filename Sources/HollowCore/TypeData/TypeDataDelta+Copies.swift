extension TypeDataDelta {
    /// The change from `removed` to `added` ordinals, whose records are packed in `removedRecords`
    /// and `addedRecords` (in the order of the ordinals), with every string or bytes value of an
    /// added object record that equals a removed record's (the same field, byte for byte) taken
    /// from that record instead of carried. Each removed record lends its value of a field once.
    static func sharingRuns(ordinalCount: Int, removed: [Int], added: [Int], addedRecords: TypeData,
                            removedRecords: TypeData, plan: TypePlan) -> TypeDataDelta {
        let plain = TypeDataDelta(ordinalCount: ordinalCount, removed: removed, added: added, addedRecords: addedRecords)
        // Collections never share: their records are deduplicated by content (see the reader).
        let endColumns = plan.poolEndColumns
        guard !plan.isCollection, !endColumns.isEmpty, !removed.isEmpty, !added.isEmpty else { return plain }
        var copies: [[Copy]] = []
        // A column of dictionary entries holds a few bits, not a run: nothing to take.
        let entryColumns = addedRecords.dictionaryColumns(plan)
        for endColumn in endColumns {
            let pools = plan.pools.indices.filter { plan.pools[$0].endColumn == endColumn }
            if entryColumns.contains(endColumn) {
                copies.append([])
                continue
            }
            var lenders: [UInt64: [Int]] = [:]
            for index in 0..<removedRecords.ordinalCount {
                let run = removedRecords.poolRange(index, endColumn: endColumn)
                if !run.isEmpty { lenders[runHash(removedRecords, pools, run, plan), default: []].append(index) }
            }
            var lent = [Bool](repeating: false, count: removed.count)
            var list: [Copy] = []
            for index in 0..<addedRecords.ordinalCount {
                let run = addedRecords.poolRange(index, endColumn: endColumn)
                guard !run.isEmpty, let candidates = lenders[runHash(addedRecords, pools, run, plan)] else { continue }
                for lender in candidates where !lent[lender]
                    && runsEqual(addedRecords, run, removedRecords, removedRecords.poolRange(lender, endColumn: endColumn), pools, plan) {
                    lent[lender] = true
                    list.append(Copy(added: index, removed: lender))
                    break
                }
            }
            copies.append(list)
        }
        guard copies.contains(where: { !$0.isEmpty }) else { return plain }
        var delta = plain
        delta.addedRecords = addedRecords.withoutRuns(copies, endColumns: endColumns, plan: plan)
        delta.copies = copies
        return delta
    }

    /// An element as compared: an empty-bucket marker the same at any width.
    private static func element(_ data: TypeData, _ pool: Int, _ index: Int, _ plan: TypePlan) -> UInt64 {
        let value = data.pools[pool].element(index)
        return plan.pools[pool].content.hasEmptyMarker && value == BitWidth.mask(data.pools[pool].unitBits) ? .max : value
    }

    /// Whether a pool's elements are bytes as they lie (compared and hashed a run at a time).
    private static func isBytes(_ data: TypeData, _ pool: Int, _ plan: TypePlan) -> Bool {
        data.pools[pool].unitBits == 8 && !plan.pools[pool].content.hasEmptyMarker
    }

    private static func runHash(_ data: TypeData, _ pools: [Int], _ run: Range<Int>, _ plan: TypePlan) -> UInt64 {
        var hasher = KeyHasher()
        hasher.combine(UInt64(run.count))
        for pool in pools {
            if isBytes(data, pool, plan) {
                hasher.combine(bytes: data.pools[pool].storage.handle.bytes(at: run.lowerBound, count: run.count))
            } else {
                for index in run { hasher.combine(element(data, pool, index, plan)) }
            }
        }
        return hasher.finalize()
    }

    private static func runsEqual(_ a: TypeData, _ runA: Range<Int>, _ b: TypeData, _ runB: Range<Int>, _ pools: [Int], _ plan: TypePlan) -> Bool {
        guard runA.count == runB.count else { return false }
        for pool in pools {
            if isBytes(a, pool, plan) && isBytes(b, pool, plan) {
                let bytes = b.pools[pool].storage.handle.bytes(at: runB.lowerBound, count: runB.count)
                guard a.pools[pool].storage.handle.bytesEqual(at: runA.lowerBound, count: runA.count, bytes) else { return false }
                continue
            }
            for offset in 0..<runA.count where element(a, pool, runA.lowerBound + offset, plan) != element(b, pool, runB.lowerBound + offset, plan) {
                return false
            }
        }
        return true
    }
}

extension TypeData {
    /// These packed records with the runs that `copies` lists (per end column of `endColumns`)
    /// left out of their pools: those records get empty runs, and the end columns the width of
    /// the smaller pools.
    fileprivate func withoutRuns(_ copies: [[TypeDataDelta.Copy]], endColumns: [Int], plan: TypePlan) -> TypeData {
        var copied: [[Bool]] = []
        var newWidths = widths
        var counts = pools.map(\.count)
        let entryColumns = dictionaryColumns(plan)
        for (position, endColumn) in endColumns.enumerated() {
            if entryColumns.contains(endColumn) {
                copied.append([])
                continue
            }
            var flags = [Bool](repeating: false, count: ordinalCount)
            for copy in copies[position] {
                flags[copy.added] = true
                let run = poolRange(copy.added, endColumn: endColumn)
                for pool in plan.pools.indices where plan.pools[pool].endColumn == endColumn { counts[pool] -= run.count }
            }
            copied.append(flags)
            let first = plan.pools.firstIndex { $0.endColumn == endColumn }!
            newWidths[endColumn] = BitWidth.needed(for: UInt64(counts[first]))
        }
        var result = TypeData(ordinalCount: ordinalCount, widths: newWidths, pools: pools.indices.map { index in
            var pool = Pool(unitBits: pools[index].unitBits, count: counts[index], symbols: pools[index].symbols)
            pool.dictionaryChange = pools[index].dictionaryChange
            return pool
        })
        result.populated.handle.fill(bitCount: ordinalCount)
        result.recountPopulated()
        for column in plan.columns.indices where plan.columns[column] != .poolEnd || entryColumns.contains(column) {
            for ordinal in 0..<ordinalCount { result.setValue(ordinal, column, value(ordinal, column)) }
        }
        for (position, endColumn) in endColumns.enumerated() where !entryColumns.contains(endColumn) {
            let pools = plan.pools.indices.filter { plan.pools[$0].endColumn == endColumn }
            var running = 0
            for ordinal in 0..<ordinalCount {
                if !copied[position][ordinal] {
                    let run = poolRange(ordinal, endColumn: endColumn)
                    for pool in pools where !run.isEmpty {
                        let unit = self.pools[pool].unitBits
                        result.pools[pool].storage.handle.copyBits(from: self.pools[pool].storage.handle, sourceBit: run.lowerBound * unit,
                                                                   to: running * unit, count: run.count * unit)
                    }
                    running += run.count
                }
                result.setValue(ordinal, endColumn, UInt64(running))
            }
        }
        return result
    }
}
