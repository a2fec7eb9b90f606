/// Checks of the values inside a type's storage read from a blob, so that every later read stays in
/// bounds: populated bits only below the ordinal count, empty ordinals that hold zeros, end offsets
/// that never decrease and stay within their pool, hash tables of a power-of-two size, and
/// references below the ordinal count of the type they point into. The loops read the raw storage
/// with every offset and mask hoisted: they run over every record of every loaded type.
extension TypeData {
    /// `dictionariesChecked`: the dictionaries were checked already (the same ones, by another
    /// shard of the type); the entries the records hold are checked either way.
    func validate(plan: TypePlan, type: String, ordinalCounts: [String: Int], dictionariesChecked: Bool = false) throws(BlobError) {
        // No populated bit at or past the ordinal count.
        if ordinalCount & 63 != 0 {
            let lastWord = populated.handle.load(byteOffset: (ordinalCount >> 6) << 3)
            guard lastWord & ~BitWidth.mask(ordinalCount & 63) == 0 else {
                throw .corrupt("\(type): populated bits set past the ordinal count \(ordinalCount)")
            }
        }
        let records = fixed.handle
        let stride = recordBits
        let entryColumns = dictionaryColumns(plan)
        // An ordinal that holds no record holds zeros, its end offsets repeating the previous end
        // (HollowCore.docc/BlobFormat.md): reading it gives zero values, and no reference out of it to follow.
        if populatedCount < ordinalCount && stride > 0 {
            let masks = widths.map(BitWidth.mask)
            let words = (ordinalCount + 63) >> 6
            for word in 0..<words {
                var holes = ~populated.handle.load(byteOffset: word << 3)
                if word == words &- 1 && ordinalCount & 63 != 0 { holes &= BitWidth.mask(ordinalCount & 63) }
                while holes != 0 {
                    let ordinal = (word << 6) | holes.trailingZeroBitCount
                    holes &= holes &- 1
                    let base = ordinal &* stride
                    for (column, role) in plan.columns.enumerated() {
                        let value = records.read(bit: base &+ offsets[column], width: widths[column], mask: masks[column])
                        let expected = role != .poolEnd || ordinal == 0 || entryColumns.contains(column)
                            ? 0 : records.read(bit: base &- stride &+ offsets[column], width: widths[column], mask: masks[column])
                        guard value == expected else {
                            throw .corrupt("\(type): ordinal \(ordinal) holds no record, but its column \(column) holds \(value)")
                        }
                    }
                }
            }
        }
        for (column, role) in plan.columns.enumerated() {
            let offset = offsets[column]
            let width = widths[column]
            let mask = BitWidth.mask(width)
            switch role {
            case .poolEnd where entryColumns.contains(column):
                try validateEntries(column: column, plan: plan, type: type, dictionaryChecked: dictionariesChecked)
            case .poolEnd:
                let pool = pools[plan.pools.firstIndex { $0.endColumn == column }!]
                let limit = UInt64(pool.count)
                // A coded value decodes to at most 8 bytes a code: only a run longer than this can
                // decode to more than a value may hold, and only such runs are measured.
                let decoder = pool.symbols?.decoder
                let longestPlainRun = UInt64(TypeData.maximumPoolElementCount / SymbolTable.maximumSymbolLength)
                var previous: UInt64 = 0
                var bit = offset
                for ordinal in 0..<ordinalCount {
                    let end = records.read(bit: bit, width: width, mask: mask)
                    guard end >= previous, end <= limit else {
                        throw .corrupt("\(type): record \(ordinal) ends at \(end), after \(previous), in a pool of \(limit)")
                    }
                    if let decoder, end &- previous > longestPlainRun,
                       decoder.decodedCount(pool.storage.handle.bytes(at: Int(previous), count: Int(end &- previous))) > TypeData.maximumPoolElementCount {
                        throw .corrupt("\(type): record \(ordinal)'s value decodes to more than \(TypeData.maximumPoolElementCount) bytes")
                    }
                    previous = end
                    bit &+= stride
                }
            case .reference(let target):
                let limit = UInt64(ordinalCounts[target] ?? 0)
                let nullOffset = plan.fields.first { $0.valueColumn == column }?.nullColumn.map { offsets[$0] }
                var failure: Int?
                forEachPopulated { ordinal in
                    if failure != nil { return }
                    let base = ordinal &* stride
                    if let nullOffset, records.read(bit: base &+ nullOffset, width: 1, mask: 1) != 0 { return }
                    if records.read(bit: base &+ offset, width: width, mask: mask) >= limit { failure = ordinal }
                }
                if let failure {
                    throw .corrupt("\(type): record \(failure) refers to \(target) ordinal \(value(failure, column)), beyond \(limit)")
                }
            case .value, .nullFlag:
                break
            }
        }
        if plan.pools.count >= 1, plan.pools[0].content.hasEmptyMarker {
            // Sets and maps: each record's buckets are a power of two in number, holding its count.
            let (endOffset, endWidth) = (offsets[0], widths[0])
            let (countOffset, countWidth) = (offsets[TypePlan.countColumn], widths[TypePlan.countColumn])
            var failure: Int?
            forEachPopulated { ordinal in
                if failure != nil { return }
                let end = records.read(bit: ordinal &* stride &+ endOffset, width: endWidth, mask: BitWidth.mask(endWidth))
                let start = ordinal == 0 ? 0 : records.read(bit: (ordinal &- 1) &* stride &+ endOffset, width: endWidth, mask: BitWidth.mask(endWidth))
                let buckets = end &- start
                let count = records.read(bit: ordinal &* stride &+ countOffset, width: countWidth, mask: BitWidth.mask(countWidth))
                if buckets & (buckets &- 1) != 0 || count > buckets || (count == 0) != (buckets == 0) { failure = ordinal }
            }
            if let failure { throw .corrupt("\(type): record \(failure) has a malformed hash table") }
        }
        for (index, pool) in plan.pools.enumerated() {
            guard case .ordinals(let target, let emptyMarker) = pool.content else { continue }
            let limit = UInt64(ordinalCounts[target] ?? 0)
            let elements = pools[index].storage.handle
            let unit = pools[index].unitBits
            let mask = BitWidth.mask(unit)
            // The values of a map are checked only where a key is.
            let keyed = !emptyMarker && index > 0 && plan.pools[0].content.hasEmptyMarker
            let keys = pools[0].storage.handle
            let keyUnit = pools[0].unitBits
            let keyMask = BitWidth.mask(keyUnit)
            // Zero-bit elements are all ordinal 0: one check answers for every element (a map's
            // values are checked element by element when its keys take bits).
            let elementCount = unit == 0 && (!keyed || keyUnit == 0) ? Swift.min(1, pools[index].count) : pools[index].count
            for element in 0..<elementCount {
                let ordinal = elements.read(bit: element &* unit, width: unit, mask: mask)
                if ordinal < limit { continue }
                if emptyMarker && ordinal == mask { continue }
                if keyed && keys.read(bit: element &* keyUnit, width: keyUnit, mask: keyMask) == keyMask { continue }
                throw .corrupt("\(type): pool element \(element) refers to \(target) ordinal \(ordinal), beyond \(limit)")
            }
        }
    }
}

extension TypeData {
    /// A string or bytes column that holds entries of the field's dictionary: the pool holds
    /// nothing of its own, the dictionary is a valid one-field storage, and every value a record
    /// holds is one of its entries. The entries of a delta's added records are checked once the
    /// delta's change of the dictionary is applied (`applying`).
    private func validateEntries(column: Int, plan: TypePlan, type: String, dictionaryChecked: Bool) throws(BlobError) {
        let index = plan.pools.firstIndex { $0.endColumn == column }!
        let pool = pools[index]
        guard pool.count == 0, pool.symbols == nil, !pool.borrowsSymbols else {
            throw .corrupt("\(type): pool \(index), coded by a dictionary, holds values or a table of its own")
        }
        guard let dictionary = pool.dictionary else { return }
        if !dictionaryChecked { try dictionary.validate(plan: .dictionary, type: "\(type): pool \(index)'s dictionary", ordinalCounts: [:]) }
        try checkEntries(column: column, plan: plan, type: type, records: nil)
    }

    /// Checks that the records (all, or those `records` lists) of entry column `column` hold a
    /// populated entry of the pool's dictionary plus one when their value is present, and 0 when
    /// it is null.
    func checkEntries(column: Int, plan: TypePlan, type: String, records ordinals: [Int]?) throws(BlobError) {
        let index = plan.pools.firstIndex { $0.endColumn == column }!
        guard let dictionary = pools[index].dictionary else { return }
        let records = fixed.handle
        let (stride, offset, width) = (recordBits, offsets[column], widths[column])
        let mask = BitWidth.mask(width)
        let nullOffset = plan.fields.first { $0.valueColumn == column }?.nullColumn.map { offsets[$0] }
        let limit = UInt64(dictionary.ordinalCount)
        let entries = dictionary.populated.handle
        var failure: (ordinal: Int, entry: UInt64)?
        func check(_ ordinal: Int) {
            if failure != nil { return }
            let base = ordinal &* stride
            let entry = records.read(bit: base &+ offset, width: width, mask: mask)
            // A null holds entry 0, as the writer writes it (the storage's canonical form).
            if let nullOffset, records.read(bit: base &+ nullOffset, width: 1, mask: 1) != 0 {
                if entry != 0 { failure = (ordinal, entry) }
                return
            }
            if entry == 0 || entry > limit || entries.read(bit: Int(entry &- 1), width: 1, mask: 1) == 0 { failure = (ordinal, entry) }
        }
        if let ordinals { for ordinal in ordinals { check(ordinal) } } else { forEachPopulated(check) }
        if let failure {
            throw .corrupt("\(type): record \(failure.ordinal) holds \(failure.entry) in the column of pool \(index)'s dictionary: not 0 for a null, nor a populated entry plus one")
        }
    }
}

