extension TypeSection {
    /// Reads a type section of a blob straight into shards of `2^shardBits` ordinals
    /// (`TypeShards`), so that loading never holds a type twice: each shard's records and runs of
    /// each pool are decompressed into storage of its own, and each end offset is made to start at
    /// 0 in its shard. A storage whose shard boundaries fall inside a byte (pool elements of fewer
    /// than 8 bits, or shards of fewer than 8 ordinals) is read whole first, then copied out. The
    /// caller checks the values with `TypeData.validate`, shard by shard.
    static func readInShards(from reader: ByteReader, plan: TypePlan, type: String, version: UInt16,
                             shardBits: Int) throws(BlobError) -> TypeShards {
        let shape = try readShape(from: reader, plan: plan, includePopulated: true, recordCount: nil,
                                  type: type, version: version, isDictionary: false)
        let size = 1 << shardBits
        let ordinalCount = shape.ordinalCount
        let recordBits = shape.widths.reduce(0, +)
        let (fixedBits, overflow) = ordinalCount.multipliedReportingOverflow(by: recordBits)
        guard !overflow else { throw .corrupt("\(type): \(ordinalCount) records of \(recordBits) bits overflow") }
        let populated = try reader.storage(bitCount: ordinalCount, "\(type): populated bits")
        let counts = stride(from: 0, to: Swift.max(ordinalCount, 1), by: size).map { Swift.min(size, ordinalCount - $0) }

        // Records: shard boundaries fall on whole bytes (unless shards are tiny, as in tests).
        let fixed = try pieces(from: reader, bitCounts: counts.map { $0 * recordBits }, total: fixedBits, "\(type): records")
        var shards = counts.map { TypeData(shapeOnlyOrdinalCount: $0, widths: shape.widths) }
        for index in shards.indices {
            shards[index].fixed = fixed[index]
            if shards.count == 1 {
                shards[index].populated = populated
            } else {
                shards[index].populated = BitStorage(bitCount: counts[index])
                shards[index].populated.handle.copyBits(from: populated.handle, sourceBit: index * size, to: 0, count: counts[index])
            }
            shards[index].recountPopulated()
        }

        // Each pool end column: where each shard's runs start, and the offsets made local.
        let entryColumns = Set(plan.pools.indices.filter { shape.pools[$0].dictionary != nil }.map { plan.pools[$0].endColumn })
        var starts: [Int: [Int]] = [:]
        for (index, pool) in plan.pools.enumerated() where !entryColumns.contains(pool.endColumn) && starts[pool.endColumn] == nil {
            let column = pool.endColumn
            var bounds = [0]
            for shard in shards.indices {
                let data = shards[shard]
                let (start, limit) = (UInt64(bounds[shard]), UInt64(shape.pools[index].count))
                let end = data.ordinalCount == 0 ? start : data.value(data.ordinalCount - 1, column)
                guard end >= start, end <= limit else {
                    throw .corrupt("\(type): shard \(shard)'s records end at \(end) in pool \(index), after \(start), in a pool of \(limit)")
                }
                // Made local; `validate` checks after that each offset stays within its shard's pool
                // and never decreases, so only the subtraction's own bound is checked here.
                if start > 0 {
                    let records = data.fixed.handle
                    let (stride, offset, width) = (data.recordBits, data.offsets[column], data.widths[column])
                    let mask = BitWidth.mask(width)
                    for ordinal in 0..<data.ordinalCount {
                        let bit = ordinal &* stride &+ offset
                        let value = records.read(bit: bit, width: width, mask: mask)
                        guard value >= start else {
                            throw .corrupt("\(type): record \((shard << shardBits) + ordinal) ends at \(value) in pool \(index), before its shard's runs start at \(start)")
                        }
                        records.write(bit: bit, width: width, value: value &- start)
                    }
                }
                bounds.append(Int(end))
            }
            starts[column] = bounds
        }

        // Pools: each shard's run of elements, read into storage of its own.
        for (index, pool) in plan.pools.enumerated() {
            let shapeOfPool = shape.pools[index]
            let bounds = starts[pool.endColumn] ?? Array(repeating: 0, count: shards.count + 1)
            let unit = shapeOfPool.unit
            let (bits, overflow) = shapeOfPool.count.multipliedReportingOverflow(by: unit)
            guard !overflow else { throw .corrupt("\(type): pool \(index) overflows") }
            let storages = try pieces(from: reader, bitCounts: shards.indices.map { (bounds[$0 + 1] - bounds[$0]) * unit }, total: bits, "\(type): pool \(index)")
            for shard in shards.indices {
                var piece = TypeData.Pool(unitBits: unit, count: bounds[shard + 1] - bounds[shard], storage: storages[shard], symbols: shapeOfPool.symbols)
                piece.dictionary = shapeOfPool.dictionary
                shards[shard].pools.append(piece)
            }
        }
        return TypeShards(shardBits: shardBits, shards: shards, holdsRemoved: shards.map { _ in false },
                          populated: shards.count > 1 ? populated : nil)
    }

    /// Reads a storage of `total` bits as consecutive pieces of `bitCounts` bits, each into storage
    /// of its own: decompressed straight into it when every piece but the last is a whole number
    /// of bytes, else read whole and copied out.
    private static func pieces(from reader: ByteReader, bitCounts: [Int], total: Int, _ what: String) throws(BlobError) -> [BitStorage] {
        guard bitCounts.dropLast().allSatisfy({ $0 & 7 == 0 }) else {
            let whole = try reader.storage(bitCount: total, what)
            var start = 0
            return bitCounts.map { bits in
                let piece = BitStorage(bitCount: bits)
                piece.handle.copyBits(from: whole.handle, sourceBit: start, to: 0, count: bits)
                start += bits
                return piece
            }
        }
        let bytes = ((total + 63) >> 6) << 3
        guard bytes <= reader.content.remaining else {
            throw .truncated("\(what) of \(bytes) bytes at offset \(reader.offset), \(reader.content.remaining) left")
        }
        var read = 0
        var storages: [BitStorage] = []
        for bits in bitCounts {
            // Every byte past what is read is zeroed here: fresh pages are not touched twice.
            let storage = BitStorage(bitCount: bits, zeroed: false)
            let count = (bits + 7) >> 3
            try reader.content.read(into: UnsafeMutableRawBufferPointer(start: storage.handle.base, count: count))
            (storage.handle.base + count).initializeMemory(as: UInt8.self, repeating: 0, count: storage.byteCount - count)
            read += count
            storages.append(storage)
        }
        precondition(read <= bytes, "pieces past their storage")
        // The rest of the storage's last word, read whole as a storage read reads it.
        _ = try reader.bytes(bytes - read, "\(what): padding")
        return storages
    }
}
