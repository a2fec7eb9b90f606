/// Encodes a record of a read state back into the write state's canonical form (see
/// `ObjectRecord.encoded()`), so that a producer can continue from a state it reads back.
enum RecordReading {
    static func canonicalContent(of ordinal: Int, in state: TypeReadState) -> [UInt8] {
        var bytes: [UInt8] = []
        appendCanonicalContent(of: ordinal, in: state, to: &bytes)
        return bytes
    }

    /// Appends the canonical encoding of `ordinal` to `bytes` (a restore reuses one buffer).
    static func appendCanonicalContent(of ordinal: Int, in state: TypeReadState, to bytes: inout [UInt8]) {
        let data = state.data
        switch state.schema {
        case .object(let object):
            for index in object.fields.indices {
                let slot = state.plan.fields[index]
                if let nullColumn = slot.nullColumn {
                    let isNull = data.value(ordinal, nullColumn) != 0
                    bytes.append(isNull ? 0 : 1)
                    if isNull { continue }
                }
                if let pool = slot.pool {
                    // A value held in the field's dictionary: that entry's run in the dictionary's pool.
                    let dictionary = data.pools[pool].dictionary
                    let values = dictionary?.pools[0] ?? data.pools[pool]
                    // (The column holds the entry plus one; a present value's is at least 1.)
                    let range = dictionary.map { $0.poolRange(Int(truncatingIfNeeded: data.value(ordinal, slot.valueColumn)) - 1, endColumn: 0) }
                        ?? data.poolRange(ordinal, endColumn: slot.valueColumn)
                    let run = values.storage.handle.bytes(at: range.lowerBound, count: range.count)
                    if let symbols = values.symbols?.decoder {
                        symbols.withDecoded(run) { value in
                            Varint.append(UInt64(value.count), to: &bytes)
                            bytes.append(contentsOf: value)
                        }
                    } else {
                        Varint.append(UInt64(range.count), to: &bytes)
                        bytes.append(contentsOf: run)
                    }
                } else {
                    Varint.append(data.value(ordinal, slot.valueColumn), to: &bytes)
                }
            }
        case .list:
            let range = data.poolRange(ordinal, endColumn: 0)
            Varint.append(UInt64(range.count), to: &bytes)
            for element in range { Varint.append(data.pools[0].element(element), to: &bytes) }
        case .set, .map:
            let marker = BitWidth.mask(data.pools[0].unitBits)
            var entries: [(UInt64, UInt64)] = []
            for bucket in data.poolRange(ordinal, endColumn: 0) {
                let key = data.pools[0].element(bucket)
                if key == marker { continue }
                entries.append((key, data.pools.count > 1 ? data.pools[1].element(bucket) : 0))
            }
            entries.sort { $0.0 < $1.0 }
            Varint.append(UInt64(entries.count), to: &bytes)
            for (key, value) in entries {
                Varint.append(key, to: &bytes)
                if data.pools.count > 1 { Varint.append(value, to: &bytes) }
            }
        }
    }
}
