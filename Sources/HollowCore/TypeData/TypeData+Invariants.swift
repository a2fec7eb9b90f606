/// What must hold of a type's storage once it is complete (built, loaded or made by a delta). Loading
/// checks the values read from a blob (`TypeData+Validation.swift`) and throws; these checks are of
/// the core's own work, so a failure is a bug: `_checkInvariants(plan:)` traps, in builds with
/// `HOLLOW_INTERNAL_CHECKS` only.
extension TypeData {
    /// Traps when an invariant does not hold. Compiled to nothing without `HOLLOW_INTERNAL_CHECKS`.
    @inline(__always)
    func _checkInvariants(plan: TypePlan? = nil) {
        #if HOLLOW_INTERNAL_CHECKS
        if let violation = _invariantViolation(plan: plan) { preconditionFailure("TypeData: \(violation)") }
        #endif
    }

    /// The first invariant that does not hold, or nil. With `plan`, the columns and pools are also
    /// checked against the type's plan, and each end-offset column against its pool.
    func _invariantViolation(plan: TypePlan? = nil) -> String? {
        guard ordinalCount >= 0, ordinalCount <= TypeData.maximumOrdinalCount else { return "ordinal count \(ordinalCount) out of range" }
        guard widths.count == offsets.count else { return "\(widths.count) widths for \(offsets.count) offsets" }
        // Columns lie side by side: each offset is the sum of the widths before it.
        var bits = 0
        for (column, width) in widths.enumerated() {
            guard width >= 0, width <= 64 else { return "column \(column) is \(width) bits wide" }
            guard offsets[column] == bits else { return "column \(column) starts at bit \(offsets[column]), not \(bits)" }
            bits += width
        }
        guard recordBits == bits else { return "records of \(recordBits) bits, columns of \(bits)" }
        guard populated.handle.bitCapacity >= ordinalCount else { return "populated bits hold \(populated.handle.bitCapacity) of \(ordinalCount) ordinals" }
        guard fixed.handle.bitCapacity >= ordinalCount * recordBits else { return "record array of \(fixed.handle.bitCapacity) bits for \(ordinalCount) records" }
        for (index, pool) in pools.enumerated() {
            guard pool.unitBits >= 0, pool.unitBits <= 64, pool.count >= 0 else { return "pool \(index): \(pool.count) units of \(pool.unitBits) bits" }
            guard pool.storage.handle.bitCapacity >= pool.unitBits * pool.count else { return "pool \(index) overflows its storage" }
        }
        // The populated count is the number of populated bits, and none is set past the ordinal count.
        var counted = 0
        let words = (ordinalCount + 63) >> 6
        for word in 0..<words { counted += populated.handle.load(byteOffset: word << 3).nonzeroBitCount }
        if ordinalCount & 63 != 0 {
            let last = populated.handle.load(byteOffset: (words - 1) << 3)
            guard last & ~BitWidth.mask(ordinalCount & 63) == 0 else { return "populated bits past ordinal \(ordinalCount)" }
        }
        guard counted == populatedCount else { return "populated count \(populatedCount), \(counted) bits set" }
        guard let plan else { return nil }
        guard widths.count == plan.columns.count else { return "\(widths.count) columns, the plan has \(plan.columns.count)" }
        guard pools.count == plan.pools.count else { return "\(pools.count) pools, the plan has \(plan.pools.count)" }
        for column in widths.indices where widths[column] > plan.maximumWidths[column] {
            return "column \(column) is \(widths[column]) bits wide, at most \(plan.maximumWidths[column]) allowed"
        }
        // End offsets never decrease and stay within their pool; entries of a dictionary are
        // records of it.
        for (index, pool) in plan.pools.enumerated() {
            if pools[index].isDictionaryCoded {
                guard pool.content == .bytes, !plan.isCollection, pools[index].count == 0, pools[index].symbols == nil else {
                    return "pool \(index): coded by a dictionary, but \(pools[index].count) units of its own or a table, or not of strings"
                }
                guard let dictionary = pools[index].dictionary else { continue }
                guard !dictionary.pools.contains(where: \.isDictionaryCoded) else { return "pool \(index): a dictionary coded by a dictionary" }
                if let violation = dictionary._invariantViolation(plan: .dictionary) { return "pool \(index)'s dictionary: \(violation)" }
                let nullColumn = plan.fields.first { $0.pool == index }?.nullColumn
                for ordinal in 0..<ordinalCount {
                    let entry = value(ordinal, pool.endColumn)
                    guard isPopulated(ordinal), nullColumn.map({ value(ordinal, $0) == 0 }) ?? true else {
                        guard entry == 0 else { return "pool \(index): ordinal \(ordinal) holds no value but entry \(entry)" }
                        continue
                    }
                    guard entry >= 1, entry <= UInt64(dictionary.ordinalCount), dictionary.isPopulated(Int(entry) - 1) else {
                        return "pool \(index): ordinal \(ordinal) holds \(entry), not an entry of its dictionary plus one"
                    }
                }
                continue
            }
            var previous: UInt64 = 0
            for ordinal in 0..<ordinalCount {
                let end = value(ordinal, pool.endColumn)
                guard end >= previous else { return "pool \(index): ordinal \(ordinal) ends at \(end), before \(previous)" }
                previous = end
            }
            guard previous <= UInt64(pools[index].count) else { return "pool \(index): ends at \(previous), past its \(pools[index].count) units" }
        }
        return nil
    }
}

extension TypeData {
    /// How this storage's records differ from `other`'s (nil when the same records sit at the same
    /// ordinals, whatever the widths and codings): for the checks of internal-checks builds.
    func _recordsDiffer(from other: TypeData, schema: TypeSchema, plan: TypePlan) -> String? {
        guard ordinalCount == other.ordinalCount, populatedCount == other.populatedCount else {
            return "\(ordinalCount) ordinals and \(populatedCount) records, against \(other.ordinalCount) and \(other.populatedCount)"
        }
        let mine = TypeReadState(schema: schema, plan: plan, data: self, changes: nil)
        let theirs = TypeReadState(schema: schema, plan: plan, data: other, changes: nil)
        for ordinal in 0..<ordinalCount {
            guard isPopulated(ordinal) == other.isPopulated(ordinal) else { return "ordinal \(ordinal) is populated in one only" }
            guard isPopulated(ordinal) else { continue }
            guard RecordReading.canonicalContent(of: ordinal, in: mine) == RecordReading.canonicalContent(of: ordinal, in: theirs) else {
                return "record \(ordinal) differs"
            }
        }
        return nil
    }
}
