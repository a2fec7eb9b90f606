extension TypeData {
    /// Builds the next state of this type from a delta. The result shares nothing mutable with
    /// `self`; the record array is copied in bulk when no column has to widen, and each pool is
    /// copied in runs of unchanged records, so that the cost follows memory bandwidth and not a
    /// per-field re-encoding. Every ordinal and length is checked against this state first.
    ///
    /// `growthBudget` is how many bits of new storage the rest of the blob may still ask for
    /// beyond the records it carries: ordinals past this state's count that the delta leaves empty
    /// are paid from it, so that a few bytes of delta cannot claim billions of empty ordinals.
    ///
    /// A type split in shards applies a delta shard by shard (`TypeShards.applying`): it passes the
    /// type's `dictionaries` once changed (nil: this applies the delta's changes to them), and the
    /// widths and pool element bits every shard must keep (`minimumWidths`, `minimumUnits`), so
    /// that all shards share one layout.
    func applying(_ delta: TypeDataDelta, plan: TypePlan, type: String, growthBudget: inout Int,
                  dictionaries prepared: [TypeData?]? = nil, minimumWidths: [Int]? = nil,
                  minimumUnits: [Int]? = nil) throws(BlobError) -> TypeData {
        let newCount = delta.ordinalCount
        let added = delta.addedRecords
        guard newCount >= 0, newCount <= TypeData.maximumOrdinalCount else {
            throw .corrupt("\(type): ordinal count \(newCount) out of range")
        }
        guard added.ordinalCount == delta.added.count, added.widths.count == widths.count, added.pools.count == pools.count else {
            throw .corrupt("\(type): the delta's records do not match the type's layout")
        }
        // The added records' strings are coded as this state's are: with its table (which a blob
        // does not repeat, and a writer's own records hold), or not at all.
        // A dictionary-coded pool stays so along the chain: the delta changes its dictionary.
        var dictionaries: [TypeData?] = pools.map(\.dictionary)
        var entriesToCheck: [Int] = []
        for index in pools.indices where pools[index].isDictionaryCoded || added.pools[index].isDictionaryCoded {
            guard let dictionary = pools[index].dictionary, let change = added.pools[index].dictionaryChange else {
                throw .corrupt("\(type): pool \(index) is coded by a dictionary in \(pools[index].isDictionaryCoded ? "this state but not in the delta" : "the delta but not in this state")")
            }
            if let prepared {
                dictionaries[index] = prepared[index]
            } else {
                try change.addedRecords.validate(plan: .dictionary, type: "\(type): pool \(index)'s dictionary", ordinalCounts: [:])
                dictionaries[index] = try dictionary.applying(change, plan: .dictionary, type: "\(type): pool \(index)'s dictionary",
                                                              growthBudget: &growthBudget)
            }
            // Kept records hold entries the change may have removed (never, from a writer that
            // removes only entries no record holds): all are checked then, else the added only.
            entriesToCheck.append(index)
        }
        for index in pools.indices where !pools[index].isDictionaryCoded {
            let coded = pools[index].symbols != nil
            let ownTable = added.pools[index].symbols.map { $0 === pools[index].symbols } ?? false
            if added.pools[index].borrowsSymbols ? coded : (coded ? ownTable : added.pools[index].symbols == nil) { continue }
            throw .corrupt("\(type): pool \(index) of the delta's records is coded \(added.pools[index].borrowsSymbols ? "with a table this state does not have" : "otherwise than this state's")")
        }
        // Records coded with this state's table were read without it: a value that decodes past
        // what a value may hold is refused here, as a snapshot's is when loaded.
        for (index, pool) in plan.pools.enumerated() where added.pools[index].borrowsSymbols {
            guard let decoder = pools[index].symbols?.decoder else { continue }
            let longestPlainRun = TypeData.maximumPoolElementCount / SymbolTable.maximumSymbolLength
            for record in 0..<added.ordinalCount {
                let run = added.poolRange(record, endColumn: pool.endColumn)
                guard run.count > longestPlainRun, run.lowerBound >= 0, run.upperBound <= added.pools[index].count else { continue }
                if decoder.decodedCount(added.pools[index].storage.handle.bytes(at: run.lowerBound, count: run.count)) > TypeData.maximumPoolElementCount {
                    throw .corrupt("\(type): added record \(record)'s value decodes to more than \(TypeData.maximumPoolElementCount) bytes")
                }
            }
        }
        // Every ordinal is checked, and the size of the result bounded, before anything is allocated.
        try delta.checkOrdinals(originCount: ordinalCount, isRecord: isPopulated, type: type)
        let addedPastCount = delta.added.count - (delta.added.firstIndex { $0 >= ordinalCount } ?? delta.added.count)

        // Pool sizes after the change, and so the widths of every column. A run an added record
        // takes from a removed one replaces it (each removed record lends a run once, checked
        // when read), so the pools never outgrow the origin's plus the delta's.
        let endColumns = plan.poolEndColumns
        guard delta.copies.isEmpty || delta.copies.count == endColumns.count else {
            throw .corrupt("\(type): copies for \(delta.copies.count) pool end columns, the type has \(endColumns.count)")
        }
        let entryColumns = dictionaryColumns(plan)
        for (position, column) in endColumns.enumerated() where entryColumns.contains(column) && position < delta.copies.count {
            guard delta.copies[position].isEmpty else { throw .corrupt("\(type): runs copied into column \(column), which holds dictionary entries") }
        }
        var poolCounts = pools.map(\.count)
        for (index, pool) in plan.pools.enumerated() where !pools[index].isDictionaryCoded {
            for ordinal in delta.removed { poolCounts[index] -= poolRange(ordinal, endColumn: pool.endColumn).count }
            // Runs of records an earlier delta removed but left in place (`TypeShards`) go too.
            forEachHole { ordinal in poolCounts[index] -= poolRange(ordinal, endColumn: pool.endColumn).count }
            poolCounts[index] += added.pools[index].count
            if let position = endColumns.firstIndex(of: pool.endColumn), position < delta.copies.count {
                for copy in delta.copies[position] {
                    guard copy.added < delta.added.count, copy.removed < delta.removed.count,
                          added.poolRange(copy.added, endColumn: pool.endColumn).isEmpty else {
                        throw .corrupt("\(type): added record \(copy.added) takes a run it also carries, or names a record past the delta's")
                    }
                    poolCounts[index] += poolRange(delta.removed[copy.removed], endColumn: pool.endColumn).count
                }
            }
        }
        var newWidths = widths
        for (column, role) in plan.columns.enumerated() {
            if role == .poolEnd && !entryColumns.contains(column) {
                let pool = plan.pools.firstIndex { $0.endColumn == column }!
                newWidths[column] = Swift.max(widths[column], BitWidth.needed(for: UInt64(poolCounts[pool])))
            } else {
                newWidths[column] = Swift.max(widths[column], added.widths[column])
            }
            if let minimumWidths { newWidths[column] = Swift.max(newWidths[column], minimumWidths[column]) }
        }
        let emptyGrowth = Swift.max(0, newCount - ordinalCount) - addedPastCount
        if emptyGrowth > 0 {
            let (bits, overflow) = emptyGrowth.multipliedReportingOverflow(by: newWidths.reduce(1, +))
            guard !overflow, bits <= growthBudget else {
                throw .corrupt("\(type): the delta adds \(emptyGrowth) empty ordinals, more than a blob of its size can hold")
            }
            growthBudget -= bits
        }

        // Which ordinals survive.
        let survivors = BitStorage(bitCount: newCount)
        survivors.handle.copyBits(from: populated.handle, sourceBit: 0, to: 0, count: Swift.min(newCount, ordinalCount))
        for ordinal in delta.removed where ordinal < newCount { survivors.handle.write(bit: ordinal, width: 1, value: 0) }
        if newCount < ordinalCount {
            var removedIndex = delta.removed.firstIndex { $0 >= newCount } ?? delta.removed.count
            for ordinal in newCount..<ordinalCount where isPopulated(ordinal) {
                guard removedIndex < delta.removed.count, delta.removed[removedIndex] == ordinal else {
                    throw .corrupt("\(type): record \(ordinal) is kept but beyond the new ordinal count \(newCount)")
                }
                removedIndex += 1
            }
        }
        // Nor a record of the origin that the delta removes: a record's ordinal is freed for the
        // state after, never reused within one delta (the writer's rule). Else a delta could give
        // a record a new value without listing it among the changes, under the indexes that
        // follow changes, and a dictionary's entry could change under every record that holds it.
        for ordinal in delta.added where survivors.handle.read(bit: ordinal, width: 1, mask: 1) != 0 || (ordinal < ordinalCount && isPopulated(ordinal)) {
            throw .corrupt("\(type): added ordinal \(ordinal) is already a record, or one the delta removes")
        }

        let newPools = plan.pools.indices.map { index in
            let unitBits = Swift.max(pools[index].unitBits, added.pools[index].unitBits, minimumUnits?[index] ?? 0)
            var pool = TypeData.Pool(unitBits: unitBits, count: poolCounts[index], symbols: pools[index].symbols)
            pool.dictionary = dictionaries[index]
            return pool
        }
        var result = TypeData(ordinalCount: newCount, widths: newWidths, pools: newPools)
        result.populated = survivors
        for ordinal in delta.added { survivors.handle.write(bit: ordinal, width: 1, value: 1) }
        result.recountPopulated()

        // Records: a bulk copy when the layout is unchanged, else column by column.
        let valueColumns = plan.columns.indices.filter { plan.columns[$0] != .poolEnd || entryColumns.contains($0) }
        let kept = Swift.min(newCount, ordinalCount)
        if newWidths == widths {
            result.fixed.handle.copyBits(from: fixed.handle, sourceBit: 0, to: 0, count: kept * recordBits)
            // Every kept ordinal that holds no record is cleared: those the delta removes, and
            // those of a shard whose removed records were left in place (`TypeShards`).
            let records = result.fixed.handle
            result.forEachHole(below: kept) { records.clearBits(at: $0 * recordBits, count: recordBits) }
        } else {
            // A column widened: the kept records are packed again in ordinal order, one store per
            // 64 bits (pool end columns are written below, by the pools' rebuild).
            let isValueColumn = plan.columns.indices.map { plan.columns[$0] != .poolEnd || entryColumns.contains($0) }
            let masks = newWidths.map(BitWidth.mask)
            var stream = BitStreamWriter(result.fixed)
            for ordinal in 0..<kept {
                // Added ordinals are not records of this state (checked above): a survivor is a kept record.
                let survives = isPopulated(ordinal) && result.isPopulated(ordinal)
                for column in newWidths.indices {
                    stream.append(survives && isValueColumn[column] ? value(ordinal, column) & masks[column] : 0, width: newWidths[column])
                }
            }
            stream.finish()
        }
        for (index, ordinal) in delta.added.enumerated() {
            for column in valueColumns { result.setValue(ordinal, column, added.value(index, column)) }
        }

        for index in entriesToCheck {
            let dictionaryChange = added.pools[index].dictionaryChange!
            let keptMayDangle = !dictionaryChange.removed.isEmpty || dictionaryChange.ordinalCount < pools[index].dictionary!.ordinalCount
            try result.checkEntries(column: plan.pools[index].endColumn, plan: plan, type: type, records: keptMayDangle ? nil : delta.added)
        }

        // Pools: walk every ordinal once per end column, copying runs of kept records.
        for (position, endColumn) in endColumns.enumerated() where !entryColumns.contains(endColumn) {
            let poolIndices = plan.pools.indices.filter { plan.pools[$0].endColumn == endColumn }
            try rebuildPools(poolIndices, endColumn: endColumn, plan: plan, delta: delta,
                             copies: position < delta.copies.count ? delta.copies[position] : [], into: &result, type: type)
        }
        return result
    }

    private func rebuildPools(_ poolIndices: [Int], endColumn: Int, plan: TypePlan, delta: TypeDataDelta,
                              copies: [TypeDataDelta.Copy], into result: inout TypeData, type: String) throws(BlobError) {
        var nextCopy = 0
        let added = delta.addedRecords
        var running = 0
        var runSource = 0
        var runTarget = 0
        var runLength = 0
        func flush() {
            if runLength > 0 {
                for index in poolIndices {
                    copyElements(from: pools[index], runSource, to: result.pools[index], runTarget, count: runLength,
                                 emptyMarker: plan.pools[index].content.hasEmptyMarker)
                }
            }
            runLength = 0
        }
        var nextAdded = 0
        let kept = Swift.min(result.ordinalCount, ordinalCount)
        // Hoisted out of the walk, which touches every ordinal: the end column of both states.
        let oldRecords = fixed.handle
        let (oldBits, oldOffset, oldWidth) = (recordBits, offsets[endColumn], widths[endColumn])
        let oldMask = BitWidth.mask(oldWidth)
        let newRecords = result.fixed.handle
        let (newBits, newOffset, newWidth) = (result.recordBits, result.offsets[endColumn], result.widths[endColumn])
        let survivors = result.populated.handle
        var previousOldEnd = 0
        for ordinal in 0..<result.ordinalCount {
            let oldEnd = ordinal < ordinalCount
                ? Int(truncatingIfNeeded: oldRecords.read(bit: ordinal &* oldBits &+ oldOffset, width: oldWidth, mask: oldMask))
                : previousOldEnd
            if nextAdded < delta.added.count && delta.added[nextAdded] == ordinal {
                flush()
                // The record's run: from the removed record that lends it, or carried by the delta.
                let lender = nextCopy < copies.count && copies[nextCopy].added == nextAdded ? delta.removed[copies[nextCopy].removed] : nil
                if lender != nil { nextCopy += 1 }
                let range = lender.map { poolRange($0, endColumn: endColumn) } ?? added.poolRange(nextAdded, endColumn: endColumn)
                let source = lender == nil ? added.pools : pools
                guard range.lowerBound >= 0, range.lowerBound <= range.upperBound, range.upperBound <= source[poolIndices[0]].count,
                      running + range.count <= result.pools[poolIndices[0]].count else {
                    throw .corrupt("\(type): added record \(ordinal) has a pool range \(range) out of bounds")
                }
                for index in poolIndices {
                    copyElements(from: source[index], range.lowerBound, to: result.pools[index], running,
                                 count: range.count, emptyMarker: plan.pools[index].content.hasEmptyMarker)
                }
                running += range.count
                nextAdded += 1
            } else if ordinal < kept && survivors.read(bit: ordinal, width: 1, mask: 1) != 0 {
                let length = oldEnd &- previousOldEnd
                if runLength > 0 && runSource &+ runLength == previousOldEnd {
                    runLength &+= length
                } else {
                    flush()
                    runSource = previousOldEnd
                    runTarget = running
                    runLength = length
                }
                running &+= length
            }
            newRecords.write(bit: ordinal &* newBits &+ newOffset, width: newWidth, value: UInt64(running))
            previousOldEnd = oldEnd
        }
        flush()
        guard running == result.pools[poolIndices[0]].count else {
            throw .corrupt("\(type): pool sizes do not add up (\(running) of \(result.pools[poolIndices[0]].count))")
        }
    }

    private func copyElements(from source: Pool, _ sourceIndex: Int, to target: Pool, _ targetIndex: Int,
                              count: Int, emptyMarker: Bool) {
        guard count > 0 else { return }
        if source.unitBits == target.unitBits {
            target.storage.handle.copyBits(from: source.storage.handle, sourceBit: sourceIndex * source.unitBits,
                                           to: targetIndex * target.unitBits, count: count * source.unitBits)
            return
        }
        let sourceMarker = BitWidth.mask(source.unitBits)
        let targetMarker = BitWidth.mask(target.unitBits)
        for offset in 0..<count {
            var element = source.element(sourceIndex + offset)
            if emptyMarker && element == sourceMarker { element = targetMarker }
            target.storage.handle.write(bit: (targetIndex + offset) * target.unitBits, width: target.unitBits, value: element)
        }
    }

    /// Calls `body` with each ordinal below `limit` (at most the ordinal count) that holds no record.
    func forEachHole(below limit: Int? = nil, _ body: (Int) -> Void) {
        let count = Swift.min(limit ?? ordinalCount, ordinalCount)
        let words = (count + 63) >> 6
        for word in 0..<words {
            var holes = ~populated.handle.load(byteOffset: word << 3)
            if word == words &- 1 && count & 63 != 0 { holes &= BitWidth.mask(count & 63) }
            while holes != 0 {
                body((word << 6) | holes.trailingZeroBitCount)
                holes &= holes &- 1
            }
        }
    }

    /// Ordinals are kept below 2^31 so that indexes can hold them in 32 bits.
    static let maximumOrdinalCount = Int(Int32.max)

    /// Elements of one pool (all the lists, sets or maps of a type, or all the bytes of a string
    /// field's values). The writer refuses more, and the reader takes up to this many: it is the
    /// only bound on a pool of zero-bit elements (thousands of copies of ordinal 0), which takes no
    /// room in a blob, and it keeps every per-element loop over such a pool finite.
    static let maximumPoolElementCount = Int(Int32.max)
}
