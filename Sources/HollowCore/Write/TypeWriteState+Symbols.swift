extension TypeWriteState {
    /// Chooses, once, which string and bytes pools are coded and with which table, from a sample
    /// of the records of the cycle under way (about 4,096 records spread over the ordinals, at
    /// most 128 KiB of each pool's values).
    mutating func chooseSymbols(_ policy: StringCompression) {
        guard symbols == nil else { return }
        let bytePools = plan.pools.indices.filter { plan.pools[$0].content == .bytes }
        guard policy != .never, !bytePools.isEmpty, !plan.isCollection else {
            symbols = Array(repeating: nil, count: plan.pools.count)
            return
        }
        var samples = [[[UInt8]]](repeating: [], count: plan.pools.count)
        var sampleBytes = [Int](repeating: 0, count: plan.pools.count)
        var sampled = 0
        let step = Swift.max(1, current.count / TypeWriteState.sampleRecords)
        var seen = 0
        for ordinal in 0..<ordinalCount where current.contains(ordinal) {
            defer { seen += 1 }
            guard seen % step == 0, let content = records.content(ordinal) else { continue }
            sampled += 1
            content.withUnsafeBytes { bytes in
                forEachPoolValue(bytes) { pool, value, _ in
                    guard sampleBytes[pool] < TypeWriteState.sampleBytes else { return }
                    let kept = value.prefix(TypeWriteState.sampleValueBytes)
                    samples[pool].append(Array(kept))
                    sampleBytes[pool] += kept.count
                }
            }
        }
        symbols = plan.pools.indices.map { pool in
            // A dictionary codes its values with a table of its own.
            guard plan.pools[pool].content == .bytes, sampleBytes[pool] > 0, dictionaries?[pool] == nil else { return nil }
            let table = SymbolTable(training: samples[pool])
            guard table.symbolCount > 0 else { return nil }
            switch policy {
            case .never: return nil
            case .always: return table
            case .automatic(let minimumBytes, let maximumRatio):
                // The pool's size, estimated from the sample's share of the records.
                let estimated = Double(sampleBytes[pool]) * Double(current.count) / Double(Swift.max(1, sampled))
                guard estimated >= Double(minimumBytes) else { return nil }
                let coded = samples[pool].reduce(0) { total, value in total + value.withUnsafeBytes { table.encodedCount($0) } }
                return Double(coded) <= maximumRatio * Double(sampleBytes[pool]) ? table : nil
            }
        }
    }

    /// Calls `body` with each string or bytes value of an object record's canonical encoding
    /// (`ObjectRecord.encoded()`), the pool it goes to, and the value with its length before it
    /// (as a dictionary's record encodes it).
    func forEachPoolValue(_ bytes: UnsafeRawBufferPointer, _ body: (Int, UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Void) {
        plan.fields.withUnsafeBufferPointer { fields in Self.forEachPoolValue(bytes, fields: fields, body) }
    }

    /// `forEachPoolValue(_:_:)` over the plan's fields in `fields`: for loops over every record
    /// on several cores, each with a copy of the fields of its own (`plan.fields.map { $0 }`),
    /// which would otherwise all retain and release one buffer for every record.
    static func forEachPoolValue(_ bytes: UnsafeRawBufferPointer, fields: UnsafeBufferPointer<TypePlan.FieldSlot>,
                                 _ body: (Int, UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Void) {
        var offset = 0
        for slot in fields {
            if slot.nullColumn != nil {
                let present = bytes[offset] != 0
                offset += 1
                if !present { continue }
            }
            if let pool = slot.pool {
                let start = offset
                let length = Int(Varint.read(bytes, &offset))
                body(pool, UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]),
                     UnsafeRawBufferPointer(rebasing: bytes[start..<offset + length]))
                offset += length
            } else {
                _ = Varint.read(bytes, &offset)
            }
        }
    }

    static let sampleRecords = 4_096
    static let sampleBytes = 128 << 10
    static let sampleValueBytes = 4 << 10
}
