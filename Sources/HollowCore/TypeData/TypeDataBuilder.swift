/// Builds the storage of a type from canonical record encodings (see `ObjectRecord.encoded()`), choosing
/// for each column the fewest bits that hold its largest value.
struct TypeDataBuilder {
    let plan: TypePlan
    /// The plan's fields in a buffer of this builder's own. Builders of the parts of one type run
    /// on several cores; had they iterated the plan's array they would all retain and release
    /// one buffer for every record, and the atomic count would move between the cores each time.
    private let fields: [TypePlan.FieldSlot]
    private let columnCount: Int
    /// The column values of every ordinal appended, one row of `columnCount` after another.
    private var values: [UInt64] = []
    /// The row being filled.
    private var row: [UInt64]
    /// The ordinal pools of a collection type: elements (list), or keys (set, map) ...
    private var elements: [UInt64] = []
    /// ... and the values of a map, bucket by bucket beside `elements`.
    private var mapValues: [UInt64] = []
    private var bytePools: [[UInt8]]
    private var populated: [Bool] = []
    /// Per column: the pool its end offsets index (-1 when it is no pool end).
    private let poolOfEndColumn: [Int]
    /// Per pool: the table its values are coded with (nil: as they are).
    private let symbols: [SymbolTable?]
    /// Per pool: the encoder of its table (kept alive here), and its tables as plain pointers.
    private let encoders: [SymbolTable.Encoder?]
    private let encoderViews: [SymbolTable.Encoder.View?]
    /// Per pool: for a pool coded by a dictionary, the entry that holds a value (given as the
    /// dictionary's record encodes it: its length as a varint, then its bytes). The pool then
    /// stays empty; the caller attaches the dictionary to the storage built.
    private let entries: [DictionaryLookup?]

    typealias DictionaryLookup = (UnsafeRawBufferPointer) -> Int

    /// A builder for about `capacity` ordinals whose encodings take about `byteCapacity` bytes
    /// (room is reserved up front; pages a pool does not use are never touched).
    init(plan: TypePlan, capacity: Int = 0, byteCapacity: Int = 0, symbols: [SymbolTable?] = [],
         dictionaries: [DictionaryLookup?] = []) {
        self.plan = plan
        fields = plan.fields.map { $0 }
        entries = dictionaries.isEmpty ? Array(repeating: nil, count: plan.pools.count) : dictionaries
        precondition(entries.count == plan.pools.count, "a dictionary or nil per pool")
        self.symbols = symbols.isEmpty ? Array(repeating: nil, count: plan.pools.count) : symbols
        precondition(self.symbols.count == plan.pools.count, "a table or nil per pool")
        encoders = self.symbols.map { $0.map(SymbolTable.Encoder.init) }
        encoderViews = encoders.map { $0?.view }
        columnCount = plan.columns.count
        row = Array(repeating: 0, count: plan.columns.count)
        bytePools = Array(repeating: [], count: plan.pools.count)
        poolOfEndColumn = plan.columns.indices.map { column in
            plan.columns[column] == .poolEnd ? plan.pools.firstIndex { $0.endColumn == column }! : -1
        }
        if capacity > 0 {
            values.reserveCapacity(capacity * plan.columns.count)
            populated.reserveCapacity(capacity)
        }
        if byteCapacity > 0 {
            for (index, pool) in plan.pools.enumerated() where pool.content == .bytes { bytePools[index].reserveCapacity(byteCapacity) }
            // A collection's encoding takes at least a byte per element.
            if plan.isCollection { elements.reserveCapacity(byteCapacity) }
        }
    }

    /// Appends the next ordinal: a record, or a hole when `record` is nil.
    mutating func append(_ record: [UInt8]?) {
        guard let record else { return append(nil as UnsafeRawBufferPointer?) }
        record.withUnsafeBytes { append($0) }
    }

    /// Appends the next ordinal: a record (its canonical encoding, read in place), or a hole when
    /// `record` is nil.
    mutating func append(_ record: UnsafeRawBufferPointer?) {
        populated.append(record != nil)
        guard let bytes = record else {
            for column in 0..<columnCount {
                let pool = poolOfEndColumn[column]
                row[column] = pool < 0 ? 0 : UInt64(plan.pools[pool].content == .bytes ? bytePools[pool].count : elements.count)
            }
            values.append(contentsOf: row)
            return
        }
        var offset = 0
        if plan.isCollection {
            appendCollection(bytes, &offset)
        } else {
            for slot in fields {
                if let nullColumn = slot.nullColumn {
                    let present = bytes[offset] != 0
                    offset &+= 1
                    row[nullColumn] = present ? 0 : 1
                    if !present {
                        row[slot.valueColumn] = slot.pool.map { UInt64(bytePools[$0].count) } ?? 0
                        continue
                    }
                }
                if let pool = slot.pool {
                    let start = offset
                    let length = Int(Varint.read(bytes, &offset))
                    if let entry = entries[pool] {
                        row[slot.valueColumn] = UInt64(entry(UnsafeRawBufferPointer(rebasing: bytes[start..<offset &+ length])))
                        offset &+= length
                        continue
                    }
                    let value = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset &+ length])
                    if let encoder = encoderViews[pool] {
                        encoder.encode(value, into: &bytePools[pool])
                    } else {
                        bytePools[pool].append(contentsOf: value)
                    }
                    offset &+= length
                    row[slot.valueColumn] = UInt64(bytePools[pool].count)
                } else {
                    row[slot.valueColumn] = Varint.read(bytes, &offset)
                }
            }
        }
        values.append(contentsOf: row)
    }

    private mutating func appendCollection(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) {
        let count = Int(Varint.read(bytes, &offset))
        if plan.pools.count == 1 && plan.columns.count == 1 {  // list: elements in order
            for _ in 0..<count { elements.append(Varint.read(bytes, &offset)) }
            row[0] = UInt64(elements.count)
            return
        }
        // set or map: a hash table of buckets, placed by the key's ordinal.
        let buckets = BucketLayout.bucketCount(for: count)
        let base = elements.count
        let isMap = plan.pools.count == 2
        elements.append(contentsOf: repeatElement(UInt64.max, count: buckets))
        if isMap { mapValues.append(contentsOf: repeatElement(0, count: buckets)) }
        for _ in 0..<count {
            let key = Varint.read(bytes, &offset)
            var bucket = BucketLayout.home(of: key, bucketMask: buckets - 1)
            while elements[base &+ bucket] != .max { bucket = (bucket &+ 1) & (buckets &- 1) }
            elements[base &+ bucket] = key
            if isMap { mapValues[base &+ bucket] = Varint.read(bytes, &offset) }
        }
        row[0] = UInt64(elements.count)
        row[TypePlan.countColumn] = UInt64(count)
    }

    /// Packs what was appended into bit-packed storage. Every storage is written start to end by
    /// a `BitStreamWriter`, so none is zeroed first.
    func build() -> TypeData {
        var parts = [self]
        return Self.build(parts: &parts)
    }

    /// Values this builder put in pool `pool` so far.
    private func poolCount(_ pool: Int) -> Int {
        switch plan.pools[pool].content {
        case .bytes: bytePools[pool].count
        case .ordinals: pool == 0 ? elements.count : mapValues.count
        }
    }

    /// Packs the ordinals appended to `parts`, one part after another, into the storage one builder
    /// would have built from all of them: the same widths, the same bits. Each part counts its pool
    /// ends from zero; a part's ends are moved up by what the parts before it put in the pool.
    /// The parts share a plan, symbol tables and dictionaries (a type's storage built on several
    /// threads, see `TypeWriteState.data(of:)`).
    ///
    /// Each part's values are let go as soon as they are packed (pools first, then the records),
    /// so that the storage and the parts' values are not all held at once: for PyPI, a part's
    /// pools are about as large as the storage and its rows of 64-bit values larger.
    static func build(parts: inout [TypeDataBuilder]) -> TypeData {
        precondition(!parts.isEmpty, "at least one part")
        // What the parts share, taken apart: a copy of a part would keep its values alive.
        let plan = parts[0].plan, columnCount = parts[0].columnCount, poolOfEndColumn = parts[0].poolOfEndColumn
        let symbols = parts[0].symbols, hasDictionaries = parts[0].entries.contains { $0 != nil }
        let partCounts = parts.map(\.populated.count)
        // Per part, per column: what its values move up by.
        var shifts: [[UInt64]] = []
        var poolTotals = [Int](repeating: 0, count: plan.pools.count)
        for part in parts {
            shifts.append((0..<columnCount).map { column in
                let pool = poolOfEndColumn[column]
                return pool < 0 ? 0 : UInt64(poolTotals[pool])
            })
            for pool in plan.pools.indices { poolTotals[pool] += part.poolCount(pool) }
        }
        let ordinalCount = partCounts.reduce(0, +)
        var maxima = [UInt64](repeating: 0, count: columnCount)
        for (part, shift) in zip(parts, shifts) {
            part.values.withUnsafeBufferPointer { values in
                var index = 0
                for _ in 0..<part.populated.count {
                    for column in 0..<columnCount {
                        maxima[column] = max(maxima[column], values[index] &+ shift[column])
                        index &+= 1
                    }
                }
            }
        }
        var widths: [Int] = []
        for (index, column) in plan.columns.enumerated() {
            switch column {
            case .nullFlag: widths.append(1)
            default: widths.append(BitWidth.needed(for: maxima[index]))
            }
        }
        var dataPools: [TypeData.Pool] = []
        for (index, pool) in plan.pools.enumerated() {
            switch pool.content {
            case .bytes:
                let count = poolTotals[index]
                let storage = BitStorage(bitCount: count << 3, zeroed: false)
                var written = 0
                for part in parts.indices {
                    parts[part].bytePools[index].withUnsafeBytes { source in
                        if let from = source.baseAddress { (storage.handle.base + written).copyMemory(from: from, byteCount: source.count) }
                        written &+= source.count
                    }
                    parts[part].bytePools[index] = []
                }
                (storage.handle.base + count).initializeMemory(as: UInt8.self, repeating: 0, count: storage.byteCount - count)
                dataPools.append(TypeData.Pool(unitBits: 8, count: count, storage: storage, symbols: symbols[index]))
            case .ordinals(_, let emptyMarker):
                func elements(_ part: TypeDataBuilder) -> [UInt64] { index == 0 ? part.elements : part.mapValues }
                let largest = parts.lazy.compactMap { elements($0).lazy.filter { $0 != .max }.max() }.max() ?? 0
                let unit = emptyMarker ? BitWidth.needed(for: largest + 1) : BitWidth.needed(for: largest)
                let storage = BitStorage(bitCount: unit * poolTotals[index], zeroed: false)
                var writer = BitStreamWriter(storage)
                let mask = BitWidth.mask(unit)
                for part in parts.indices {
                    for element in elements(parts[part]) { writer.append(element == .max ? mask : element, width: unit) }
                    if index == 0 { parts[part].elements = [] } else { parts[part].mapValues = [] }
                }
                writer.finish()
                dataPools.append(TypeData.Pool(unitBits: unit, count: poolTotals[index], storage: storage))
            }
        }
        var data = TypeData(shapeOnlyOrdinalCount: ordinalCount, widths: widths)
        data.pools = dataPools
        let populatedStorage = BitStorage(bitCount: ordinalCount, zeroed: false)
        var populatedWriter = BitStreamWriter(populatedStorage)
        var populatedCount = 0
        for part in parts.indices {
            for isPopulated in parts[part].populated {
                populatedWriter.append(isPopulated ? 1 : 0, width: 1)
                if isPopulated { populatedCount &+= 1 }
            }
            parts[part].populated = []
        }
        populatedWriter.finish()
        data.populated = populatedStorage
        data.populatedCount = populatedCount
        let fixed = BitStorage(bitCount: ordinalCount * data.recordBits, zeroed: false)
        var writer = BitStreamWriter(fixed)
        let written = (0..<columnCount).filter { widths[$0] > 0 }
        for (part, shift) in shifts.enumerated() {
            parts[part].values.withUnsafeBufferPointer { values in
                written.withUnsafeBufferPointer { written in
                    shift.withUnsafeBufferPointer { shift in
                        var rowStart = 0
                        for _ in 0..<partCounts[part] {
                            for column in written { writer.append(values[rowStart &+ column] &+ shift[column], width: widths[column]) }
                            rowStart &+= columnCount
                        }
                    }
                }
            }
            parts[part].values = []
        }
        writer.finish()
        data.fixed = fixed
        // With dictionaries, the caller checks once it has attached them.
        if !hasDictionaries { data._checkInvariants(plan: plan) }
        return data
    }
}
