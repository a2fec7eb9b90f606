/// Builds the storage of a type from canonical record encodings (see `ObjectRecord.encoded()`), choosing
/// for each column the fewest bits that hold its largest value.
struct TypeDataBuilder {
    let plan: TypePlan
    private var columns: [[UInt64]]
    private var pools: [[UInt64]]
    private var bytePools: [[UInt8]]
    private var populated: [Bool] = []

    /// A builder for about `capacity` ordinals (room is reserved up front).
    init(plan: TypePlan, capacity: Int = 0) {
        self.plan = plan
        columns = Array(repeating: [], count: plan.columns.count)
        pools = Array(repeating: [], count: plan.pools.count)
        bytePools = Array(repeating: [], count: plan.pools.count)
        if capacity > 0 {
            for index in columns.indices { columns[index].reserveCapacity(capacity) }
            populated.reserveCapacity(capacity)
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
            for column in plan.columns.indices {
                columns[column].append(plan.columns[column] == .poolEnd ? UInt64(poolSize(endColumn: column)) : 0)
            }
            return
        }
        do {
            var offset = 0
            if plan.fields.isEmpty {
                appendCollection(bytes, &offset)
            } else {
                for slot in plan.fields {
                    if let nullColumn = slot.nullColumn {
                        let present = bytes[offset] != 0
                        offset += 1
                        columns[nullColumn].append(present ? 0 : 1)
                        if !present {
                            columns[slot.valueColumn].append(slot.pool.map { UInt64(bytePools[$0].count) } ?? 0)
                            continue
                        }
                    }
                    if let pool = slot.pool {
                        let length = Int(Varint.read(bytes, &offset))
                        bytePools[pool].append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]))
                        offset += length
                        columns[slot.valueColumn].append(UInt64(bytePools[pool].count))
                    } else {
                        columns[slot.valueColumn].append(Varint.read(bytes, &offset))
                    }
                }
            }
        }
    }

    private func poolSize(endColumn: Int) -> Int {
        let pool = plan.pools.firstIndex { $0.endColumn == endColumn }!
        return plan.pools[pool].content == .bytes ? bytePools[pool].count : pools[pool].count
    }

    private mutating func appendCollection(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) {
        let count = Int(Varint.read(bytes, &offset))
        if plan.pools.count == 1 && plan.columns.count == 1 {  // list: elements in order
            for _ in 0..<count { pools[0].append(Varint.read(bytes, &offset)) }
            columns[0].append(UInt64(pools[0].count))
            return
        }
        // set or map: a hash table of buckets, placed by the key's ordinal.
        let buckets = BucketLayout.bucketCount(for: count)
        let base = pools[0].count
        for index in plan.pools.indices { pools[index].append(contentsOf: repeatElement(index == 0 ? UInt64.max : 0, count: buckets)) }
        for _ in 0..<count {
            let key = Varint.read(bytes, &offset)
            var bucket = BucketLayout.home(of: key, bucketMask: buckets - 1)
            while pools[0][base + bucket] != .max { bucket = (bucket + 1) & (buckets - 1) }
            pools[0][base + bucket] = key
            if plan.pools.count == 2 { pools[1][base + bucket] = Varint.read(bytes, &offset) }
        }
        columns[0].append(UInt64(pools[0].count))
        columns[TypePlan.countColumn].append(UInt64(count))
    }

    /// Packs what was appended into bit-packed storage.
    func build() -> TypeData {
        let ordinalCount = populated.count
        var widths: [Int] = []
        for (index, column) in plan.columns.enumerated() {
            switch column {
            case .nullFlag: widths.append(1)
            default: widths.append(BitWidth.needed(for: columns[index].max() ?? 0))
            }
        }
        var dataPools: [TypeData.Pool] = []
        for (index, pool) in plan.pools.enumerated() {
            switch pool.content {
            case .bytes:
                var data = TypeData.Pool(unitBits: 8, count: bytePools[index].count)
                bytePools[index].withUnsafeBytes { source in
                    if let base = source.baseAddress { data.storage.handle.base.copyMemory(from: base, byteCount: source.count) }
                }
                dataPools.append(data)
            case .ordinals(_, let emptyMarker):
                let largest = pools[index].lazy.filter { $0 != .max }.max() ?? 0
                let unit = emptyMarker ? BitWidth.needed(for: largest + 1) : BitWidth.needed(for: largest)
                var data = TypeData.Pool(unitBits: unit, count: pools[index].count)
                let mask = BitWidth.mask(unit)
                for (position, element) in pools[index].enumerated() {
                    data.storage.handle.write(bit: position * unit, width: unit, value: element == .max ? mask : element)
                }
                data.count = pools[index].count
                dataPools.append(data)
            }
        }
        var data = TypeData(ordinalCount: ordinalCount, widths: widths, pools: dataPools)
        for ordinal in 0..<ordinalCount {
            if populated[ordinal] { data.setPopulated(ordinal, true) }
            for column in columns.indices where widths[column] > 0 {
                data.setValue(ordinal, column, columns[column][ordinal])
            }
        }
        data.recountPopulated()
        return data
    }
}
