extension TypeData {
    /// A pool of one type's variable-length data: bytes of strings, or ordinals of list, set and map
    /// elements, bit-packed at `unitBits` each.
    struct Pool: Sendable {
        /// Bits per element (8 for byte pools).
        var unitBits: Int
        /// Elements in the pool.
        var count: Int
        var storage: BitStorage
        /// The table a string or bytes pool is coded with (nil: the values as they are).
        var symbols: SymbolTable?
        /// The records a delta adds: coded with the table of the state the delta applies to,
        /// which the delta does not carry.
        var borrowsSymbols = false
        /// A string or bytes pool coded by a dictionary (see `TypeData.Dictionary`): the distinct
        /// values of the field, each stored once; the records' column of this pool holds an entry
        /// of it, and the pool itself is empty.
        var dictionary: TypeData?
        /// The records a delta adds, coded by a dictionary: how the delta changes the dictionary of
        /// the state it applies to, entries removed and added (the records hold entries of the
        /// changed dictionary).
        var dictionaryChange: TypeDataDelta?

        init(unitBits: Int, count: Int, symbols: SymbolTable? = nil) {
            self.unitBits = unitBits
            self.count = count
            storage = BitStorage(bitCount: unitBits * count)
            self.symbols = symbols
        }

        init(unitBits: Int, count: Int, storage: BitStorage, symbols: SymbolTable? = nil) {
            self.unitBits = unitBits
            self.count = count
            self.storage = storage
            self.symbols = symbols
        }

        /// Whether the records' column of this pool holds dictionary entries rather than end offsets.
        var isDictionaryCoded: Bool { dictionary != nil || dictionaryChange != nil }

        /// Bytes resident for this pool, its table and dictionary included.
        var residentBytes: Int { storage.residentBytes + (symbols?.residentBytes ?? 0) + (dictionary?.residentBytes ?? 0) }

        @inline(__always)
        func element(_ index: Int) -> UInt64 {
            storage.handle.read(bit: index &* unitBits, width: unitBits, mask: BitWidth.mask(unitBits))
        }
    }
}
