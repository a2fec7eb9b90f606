extension TypeData {
    /// Whether `other` has this layout, these tables and the same bits in every storage, so that
    /// either may stand for the other in a state.
    func isIdentical(to other: TypeData) -> Bool {
        guard ordinalCount == other.ordinalCount, populatedCount == other.populatedCount, widths == other.widths,
              pools.count == other.pools.count,
              populated.hasSameBytes(as: other.populated), fixed.hasSameBytes(as: other.fixed)
        else { return false }
        for (pool, otherPool) in zip(pools, other.pools) {
            guard pool.unitBits == otherPool.unitBits, pool.count == otherPool.count,
                  pool.borrowsSymbols == otherPool.borrowsSymbols,
                  pool.dictionaryChange == nil, otherPool.dictionaryChange == nil,
                  pool.symbols == otherPool.symbols, pool.storage.hasSameBytes(as: otherPool.storage)
            else { return false }
            switch (pool.dictionary, otherPool.dictionary) {
            case (nil, nil): continue
            case (let dictionary?, let otherDictionary?): guard dictionary.isIdentical(to: otherDictionary) else { return false }
            default: return false
            }
        }
        return true
    }
}
