/// Bytes a read state holds, per type and per pool: what `hollow inspect` shows and what the
/// benchmarks compare with plain Swift values.
public struct MemoryReport: Sendable, Equatable {
    public struct Pool: Sendable, Equatable {
        /// The field of an object type (string or bytes), or `elements`, `buckets`, `keys`, `values`.
        public let name: String
        public let bytes: Int
        /// Bits per element (8 for string and bytes pools).
        public let unitBits: Int
        /// The distinct values of a field kept in a dictionary (`StringDictionaries`), whose
        /// bytes `bytes` counts; nil when each record stores its own value.
        public let dictionaryEntries: Int?
    }

    public struct TypeMemory: Sendable, Equatable {
        public let name: String
        public let recordCount: Int
        public let ordinalCount: Int
        /// Width of one record in the bit-packed record array.
        public let bitsPerRecord: Int
        public let populatedBytes: Int
        public let recordBytes: Int
        public let pools: [Pool]
        public var totalBytes: Int { populatedBytes + recordBytes + pools.reduce(0) { $0 + $1.bytes } }
    }

    public let types: [TypeMemory]
    public var totalBytes: Int { types.reduce(0) { $0 + $1.totalBytes } }
}

extension ReadState {
    /// The memory of this state's storage, type by type (storage shared with another state is
    /// counted in both).
    public var memory: MemoryReport {
        MemoryReport(types: schema.types.map { type in
            let state = types[type.name]!
            let data = state.data
            let poolNames: [String] = switch type {
            case .object(let object): object.fields.filter(\.type.isVariableLength).map(\.name)
            case .list: ["elements"]
            case .set: ["buckets"]
            case .map: ["keys", "values"]
            }
            // A pool's bytes over every shard; its coding table and dictionary, which the shards share, once.
            let shards = data.shards
            let pools = poolNames.enumerated().map { index, name in
                let first = shards[0].pools[index]
                let bytes = shards.reduce(0) { $0 + $1.pools[index].storage.residentBytes }
                    + (first.symbols?.residentBytes ?? 0) + (first.dictionary?.residentBytes ?? 0)
                return MemoryReport.Pool(name: name, bytes: bytes, unitBits: first.unitBits,
                                         dictionaryEntries: first.dictionary?.populatedCount)
            }
            return MemoryReport.TypeMemory(
                name: type.name, recordCount: data.populatedCount, ordinalCount: data.ordinalCount,
                bitsPerRecord: data.recordBits,
                populatedBytes: data.populated.residentBytes + (shards.count > 1 ? shards.reduce(0) { $0 + $1.populated.residentBytes } : 0),
                recordBytes: shards.reduce(0) { $0 + $1.fixed.residentBytes }, pools: pools)
        })
    }
}
