/// Checks of the values inside a type's storage read from a blob, so that every later read stays in
/// bounds: populated bits only below the ordinal count, end offsets that never decrease and stay
/// within their pool, hash tables of a power-of-two size, and references below the ordinal count of
/// the type they point into.
extension TypeData {
    func validate(plan: TypePlan, type: String, ordinalCounts: [String: Int]) throws(BlobError) {
        // No populated bit at or past the ordinal count.
        if ordinalCount & 63 != 0 {
            let lastWord = populated.handle.load(byteOffset: (ordinalCount >> 6) << 3)
            guard lastWord & ~BitWidth.mask(ordinalCount & 63) == 0 else {
                throw .corrupt("\(type): populated bits set past the ordinal count \(ordinalCount)")
            }
        }
        for (column, role) in plan.columns.enumerated() {
            switch role {
            case .poolEnd:
                let pool = plan.pools.first { $0.endColumn == column }!
                let limit = UInt64(pools[plan.pools.firstIndex { $0.endColumn == column }!].count)
                _ = pool
                var previous: UInt64 = 0
                for ordinal in 0..<ordinalCount {
                    let end = value(ordinal, column)
                    guard end >= previous, end <= limit else {
                        throw .corrupt("\(type): record \(ordinal) ends at \(end), after \(previous), in a pool of \(limit)")
                    }
                    previous = end
                }
            case .reference(let target):
                let limit = UInt64(ordinalCounts[target] ?? 0)
                let nullColumn = plan.fields.first { $0.valueColumn == column }?.nullColumn
                var failure: Int?
                forEachPopulated { ordinal in
                    if failure != nil { return }
                    if let nullColumn, value(ordinal, nullColumn) != 0 { return }
                    if value(ordinal, column) >= limit { failure = ordinal }
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
            var failure: Int?
            forEachPopulated { ordinal in
                if failure != nil { return }
                let buckets = poolRange(ordinal, endColumn: 0).count
                let count = value(ordinal, TypePlan.countColumn)
                if buckets & (buckets &- 1) != 0 || count > UInt64(buckets) || (count == 0) != (buckets == 0) { failure = ordinal }
            }
            if let failure { throw .corrupt("\(type): record \(failure) has a malformed hash table") }
        }
        for (index, pool) in plan.pools.enumerated() {
            guard case .ordinals(let target, let emptyMarker) = pool.content else { continue }
            let limit = UInt64(ordinalCounts[target] ?? 0)
            let marker = BitWidth.mask(pools[index].unitBits)
            let keys = emptyMarker ? nil : (index > 0 && plan.pools[0].content.hasEmptyMarker ? pools[0] : nil)
            let keyMarker = keys.map { BitWidth.mask($0.unitBits) }
            for element in 0..<pools[index].count {
                let ordinal = pools[index].element(element)
                if emptyMarker && ordinal == marker { continue }
                if let keys, keys.element(element) == keyMarker { continue }
                guard ordinal < limit else {
                    throw .corrupt("\(type): pool element \(element) refers to \(target) ordinal \(ordinal), beyond \(limit)")
                }
            }
        }
    }
}
