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
        /// The shards the type is split in (one for a type of at most 65,536 ordinals).
        public let shardCount: Int
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
                recordBytes: shards.reduce(0) { $0 + $1.fixed.residentBytes }, pools: pools, shardCount: shards.count)
        })
    }
}

extension ReadState {
    /// Bytes of this state's storage that `other` does not hold: what a delta from `other`
    /// allocated (the types and shards it built again, and the populated bits it changed), which
    /// a consumer holds twice while readers still hold `other`.
    public func bytesNotShared(with other: ReadState) -> Int {
        var theirs = Set<ObjectIdentifier>()
        for type in other.types.values { type.data.forEachStorage { theirs.insert(ObjectIdentifier($0)) } }
        var bytes = 0
        var counted = Set<ObjectIdentifier>()
        for type in types.values {
            type.data.forEachStorage { storage in
                let id = ObjectIdentifier(storage)
                if !theirs.contains(id) && counted.insert(id).inserted { bytes += storage.residentBytes }
            }
        }
        return bytes
    }
}

extension TypeShards {
    /// Calls `body` with every storage of the type: its populated bits, and each shard's
    /// populated bits, records and pools, with their dictionaries'.
    func forEachStorage(_ body: (BitStorage) -> Void) {
        body(populated)
        func visit(_ data: TypeData) {
            body(data.populated)
            body(data.fixed)
            for pool in data.pools {
                body(pool.storage)
                if let dictionary = pool.dictionary { visit(dictionary) }
            }
        }
        for shard in shards { visit(shard) }
    }
}
