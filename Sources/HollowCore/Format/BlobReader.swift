/// Reads snapshot and delta blobs into read states. Nothing is published unless the whole blob,
/// its checksum included, was read and checked.
enum BlobReader {
    /// Reads a snapshot blob; a writer reading its own blob back passes the storages it wrote
    /// (`written`), which the state then keeps once compared with what is read.
    ///
    /// `shardBits`: each type is split in shards of that many bits of ordinals (`TypeShards`), or
    /// kept whole (`TypeShards.whole`, a writer's read-back).
    static func readSnapshot(_ blob: UnsafeRawBufferPointer, written: WrittenStorages? = nil,
                             shardBits: Int = TypeShards.whole) throws(BlobError) -> (UInt64, Schema, [String: TypeReadState]) {
        // A writer's read-back compares storages whole, as it wrote them.
        precondition(written == nil || shardBits == TypeShards.whole, "a read-back split in shards")
        var reader = ByteReader(content: BlobContent(frame: try LZ4FrameReader(blob)))
        reader.written = written
        let snapshot = try readSnapshot(from: reader, validate: true, isWhole: true, shardBits: shardBits)
        try written?.finish()
        return snapshot
    }

    /// Reads a snapshot's header and type sections from `reader`: the whole content (`isWhole`,
    /// checked to end there, its checksum before the last checks of values), or followed by more
    /// (a state image's indexes). `validate: false` skips the checks of the records' values (a
    /// state image its caller trusts); the shapes are checked always.
    ///
    /// A state image (`inShards`) carries each type as it lay in memory: its shard bits, the
    /// number of its shards, then each shard as a section of its own, which keeps the image's
    /// storage mapped as it is. A blob carries each type whole; it is read straight into shards.
    static func readSnapshot(from reader: ByteReader, validate: Bool, isWhole: Bool, shardBits: Int,
                             inShards: Bool = false) throws(BlobError) -> (UInt64, Schema, [String: TypeReadState]) {
        let header = try BlobHeader.read(from: reader)
        guard header.kind == .snapshot else { throw .wrongKind(expected: .snapshot, found: header.kind) }
        let sectionCount = Int(try reader.u32())
        guard sectionCount == header.schema.types.count else {
            throw .corrupt("\(sectionCount) type sections for a schema of \(header.schema.types.count) types")
        }
        var read: [(name: String, schema: TypeSchema, plan: TypePlan, shards: [TypeData], shardBits: Int?, populated: BitStorage?)] = []
        var counts: [String: Int] = [:]
        var deferred: [String] = []
        for _ in 0..<sectionCount {
            let name = try reader.string16("type name")
            guard let schema = header.schema[name] else { throw .corrupt("section for type '\(name)', which the schema does not declare") }
            guard counts[name] == nil else { throw .corrupt("type '\(name)' appears twice") }
            let kind = try reader.u8()
            guard kind == BlobLayout.SectionKind.full.rawValue else { throw .corrupt("\(name): a snapshot section of kind \(kind)") }
            let plan = TypePlan(schema)
            let shards: [TypeData]
            var bits: Int?
            var populated: BitStorage?
            if inShards {
                (shards, bits, populated) = try readShards(from: reader, plan: plan, type: name, version: header.version, checked: validate)
            } else if reader.written == nil && shardBits != TypeShards.whole {
                // Decompressed straight into the shards, each end offset made to start at 0 in its shard.
                let data = try TypeSection.readInShards(from: reader, plan: plan, type: name, version: header.version, shardBits: shardBits)
                (shards, bits) = (data.shards, shardBits)
            } else {
                shards = [try TypeSection.read(from: reader, plan: plan, includePopulated: true, type: name, version: header.version)]
            }
            read.append((name, schema, plan, shards, bits, populated))
            counts[name] = bits.map { ((shards.count - 1) << $0) + shards[shards.count - 1].ordinalCount } ?? shards[0].ordinalCount
            // Writers put types in dependency order: check a type while its storage is still in
            // cache, or at the end when a type it refers to has not been read yet.
            if !validate { continue }
            if schema.referencedTypes.allSatisfy({ counts[$0] != nil }) {
                for (index, shard) in shards.enumerated() {
                    try shard.validate(plan: plan, type: name, ordinalCounts: counts, dictionariesChecked: index > 0)
                }
            } else {
                deferred.append(name)
            }
        }
        if isWhole { try reader.content.finish() }
        for name in deferred {
            let type = read.first { $0.name == name }!
            for (index, shard) in type.shards.enumerated() {
                try shard.validate(plan: type.plan, type: name, ordinalCounts: counts, dictionariesChecked: index > 0)
            }
        }
        var types: [String: TypeReadState] = [:]
        while let type = read.popLast() {
            let data = type.shardBits.map { TypeShards(shardBits: $0, shards: type.shards, holdsRemoved: type.shards.map { _ in false },
                                                       populated: type.populated) }
                ?? TypeShards(whole: type.shards[0])
            types[type.name] = TypeReadState(schema: type.schema, plan: type.plan, data: data, changes: nil)
        }
        return (header.destination, header.schema, types)
    }

    /// A type's shards as a state image holds them: each full but the last, all of one layout,
    /// their coding tables and dictionaries the first shard's (which later shards name; one that
    /// carries a copy has it checked to be the same when `checked`, and the first one's is kept), then, for more than one shard,
    /// the type's populated bits (checked to be the shards' when `checked`).
    private static func readShards(from reader: ByteReader, plan: TypePlan, type: String, version: UInt16,
                                   checked: Bool) throws(BlobError) -> ([TypeData], Int, BitStorage?) {
        let bits = Int(try reader.u8())
        guard bits == TypeShards.whole || (1...30).contains(bits) else { throw .corrupt("\(type): shards of \(bits) bits of ordinals") }
        let count = Int(try reader.u32())
        let most = bits == TypeShards.whole ? 1 : (TypeData.maximumOrdinalCount >> bits) + 1
        guard count >= 1, count <= most else { throw .corrupt("\(type): \(count) shards of \(bits) bits") }
        var shards: [TypeData] = []
        for index in 0..<count {
            var shard = try TypeSection.read(from: reader, plan: plan, includePopulated: true, type: "\(type) shard \(index)", version: version,
                                             firstShard: shards.first)
            let full = bits == TypeShards.whole ? shard.ordinalCount : 1 << bits
            guard index == count - 1 ? shard.ordinalCount <= full && (count == 1 || shard.ordinalCount > 0) : shard.ordinalCount == full else {
                throw .corrupt("\(type): shard \(index) of \(count) holds \(shard.ordinalCount) ordinals, shards hold \(full)")
            }
            if let first = shards.first {
                guard shard.widths == first.widths else { throw .corrupt("\(type): shard \(index)'s columns differ from shard 0's") }
                for pool in shard.pools.indices {
                    let (mine, theirs) = (shard.pools[pool], first.pools[pool])
                    guard mine.symbols == theirs.symbols, mine.unitBits == theirs.unitBits,
                          (mine.dictionary == nil) == (theirs.dictionary == nil),
                          !checked || (mine.dictionary.map({ $0.fixed === theirs.dictionary!.fixed || $0.isIdentical(to: theirs.dictionary!) }) ?? true) else {
                        throw .corrupt("\(type): shard \(index)'s pool \(pool) is coded otherwise than shard 0's")
                    }
                    shard.pools[pool].symbols = theirs.symbols
                    shard.pools[pool].dictionary = theirs.dictionary
                }
            }
            shards.append(shard)
        }
        guard count > 1 else { return (shards, bits, nil) }
        let ordinalCount = ((count - 1) << bits) + shards[count - 1].ordinalCount
        let populated = try reader.storage(bitCount: ordinalCount, "\(type): populated bits")
        if checked {
            // Word by word (a shard of 64 ordinals or more starts on a word), else bit by bit.
            for (index, shard) in shards.enumerated() {
                let first = index << bits
                if bits >= 6 {
                    let words = (shard.ordinalCount + 63) >> 6
                    for word in 0..<words {
                        let mask = word == words - 1 && shard.ordinalCount & 63 != 0 ? BitWidth.mask(shard.ordinalCount & 63) : ~0
                        guard shard.populated.handle.load(byteOffset: word << 3) & mask == populated.handle.load(byteOffset: (first >> 3) + (word << 3)) & mask else {
                            throw .corrupt("\(type): the populated bits of ordinals \(first + word * 64) on differ from their shard's")
                        }
                    }
                } else {
                    for ordinal in 0..<shard.ordinalCount where shard.isPopulated(ordinal) != (populated.handle.read(bit: first + ordinal, width: 1, mask: 1) != 0) {
                        throw .corrupt("\(type): the populated bit of ordinal \(first + ordinal) differs from its shard's")
                    }
                }
            }
        }
        return (shards, bits, populated)
    }

    static func applyDelta(_ blob: UnsafeRawBufferPointer, to state: ReadState) throws(BlobError) -> ReadState {
        let reader = ByteReader(content: BlobContent(frame: try LZ4FrameReader(blob)))
        let header = try BlobHeader.read(from: reader)
        guard header.kind != .snapshot else { throw .wrongKind(expected: .delta, found: .snapshot) }
        guard header.origin == state.stateID else {
            throw .stateMismatch(expectedOrigin: header.origin, actualState: state.stateID)
        }
        let sectionCount = Int(try reader.u32())
        guard sectionCount <= BlobLayout.maximumSections else { throw .corrupt("\(sectionCount) type sections") }
        var full: [String: TypeShards] = [:]
        var changed: [String: TypeDataDelta] = [:]
        var removed: Set<String> = []
        for _ in 0..<sectionCount {
            let name = try reader.string16("type name")
            guard full[name] == nil, changed[name] == nil, !removed.contains(name) else { throw .corrupt("type '\(name)' appears twice") }
            let kind = try reader.u8()
            switch BlobLayout.SectionKind(rawValue: kind) {
            case .full:
                guard let schema = header.schema[name] else { throw .corrupt("section for type '\(name)', which the schema does not declare") }
                if let old = state.schema[name], let problem = SchemaChange.problem(from: old, to: schema) { throw .schema(problem) }
                full[name] = try TypeSection.readInShards(from: reader, plan: TypePlan(schema), type: name, version: header.version,
                                                          shardBits: state.shardBits)
            case .changed, .changedSharing:
                guard let schema = header.schema[name] else { throw .corrupt("section for type '\(name)', which the schema does not declare") }
                guard let old = state.schema[name] else { throw .corrupt("changes to type '\(name)', which the origin state does not have") }
                try requireSameSchema(old, schema)
                changed[name] = kind == BlobLayout.SectionKind.changed.rawValue
                    ? try readChanges(from: reader, plan: TypePlan(schema), type: name, version: header.version)
                    : try readSharedChanges(from: reader, plan: TypePlan(schema), type: name, version: header.version)
            case .removed:
                guard state.schema[name] != nil, header.schema[name] == nil else {
                    throw .corrupt("removal of type '\(name)', which is not in the origin state or is still in the destination")
                }
                removed.insert(name)
            case nil:
                throw .corrupt("\(name): unknown section kind \(kind)")
            }
        }
        try reader.content.finish()
        for old in state.schema.types where header.schema[old.name] == nil && !removed.contains(old.name) {
            throw .corrupt("type '\(old.name)' left the schema without a removal section")
        }

        // Build the destination: untouched types are shared with the origin state.
        var types: [String: TypeReadState] = [:]
        var counts: [String: Int] = [:]
        for type in header.schema.types {
            if let data = full[type.name] {
                counts[type.name] = data.ordinalCount
            } else if let delta = changed[type.name] {
                counts[type.name] = delta.ordinalCount
            } else {
                guard let old = state.types[type.name] else { throw .corrupt("type '\(type.name)' is new but the delta does not carry it") }
                try requireSameSchema(old.schema, type)
                counts[type.name] = old.data.ordinalCount
            }
        }
        var shrunk: Set<String> = []
        // Empty ordinals a delta may add: as many bits as the blob's content could hold at LZ4's
        // largest ratio, the bound a snapshot of the same size has.
        var growthBudget = blob.count.multipliedReportingOverflow(by: 8 * LZ4Frame.maximumExpansion).overflow
            ? Int.max : blob.count * 8 * LZ4Frame.maximumExpansion
        for type in header.schema.types {
            let plan = TypePlan(type)
            if let data = full[type.name] {
                try data.validate(plan: plan, type: type.name, ordinalCounts: counts)
                if let old = state.types[type.name], data.ordinalCount < old.data.ordinalCount { shrunk.insert(type.name) }
                types[type.name] = TypeReadState(schema: type, plan: plan, data: data, changes: nil)
            } else if let delta = changed[type.name] {
                let old = state.types[type.name]!
                try delta.addedRecords.validate(plan: plan, type: type.name, ordinalCounts: counts)
                let data = try old.data.applying(delta, plan: plan, type: type.name, growthBudget: &growthBudget)
                if data.ordinalCount < old.data.ordinalCount { shrunk.insert(type.name) }
                types[type.name] = TypeReadState(schema: type, plan: plan, data: data,
                                                 changes: TypeChanges(removed: delta.removed, added: delta.added))
            } else {
                types[type.name] = state.types[type.name]!
            }
        }
        // A type that shrank (by a delta or carried whole) may leave references from the records
        // this delta did not carry out of range: check them.
        if !shrunk.isEmpty {
            for type in header.schema.types where full[type.name] == nil && !Set(type.referencedTypes).isDisjoint(with: shrunk) {
                let readState = types[type.name]!
                // Records a shard keeps after their removal may refer past the shrunk type: they go first.
                let data = try readState.data.compacted(plan: readState.plan, type: type.name)
                try data.validate(plan: readState.plan, type: type.name, ordinalCounts: counts)
                if readState.data.holdsRemoved.contains(true) {
                    types[type.name] = TypeReadState(schema: type, plan: readState.plan, data: data, changes: readState.changes)
                }
            }
        }
        return ReadState(stateID: header.destination, schema: header.schema, types: types, originStateID: state.stateID,
                         shardBits: state.shardBits)
    }

    private static func readChanges(from reader: ByteReader, plan: TypePlan, type: String, version: UInt16) throws(BlobError) -> TypeDataDelta {
        let ordinalCount = try reader.count("\(type): ordinal count", limit: TypeData.maximumOrdinalCount)
        let removedCount = try reader.count("\(type): removed count", limit: reader.content.remaining / 4)
        let addedCount = try reader.count("\(type): added count", limit: reader.content.remaining / 4)
        var removed: [Int] = []
        removed.reserveCapacity(removedCount)
        for _ in 0..<removedCount { removed.append(Int(try reader.u32())) }
        var added: [Int] = []
        added.reserveCapacity(addedCount)
        for _ in 0..<addedCount { added.append(Int(try reader.u32())) }
        let records = try TypeSection.read(from: reader, plan: plan, includePopulated: false, recordCount: addedCount, type: type, version: version)
        return TypeDataDelta(ordinalCount: ordinalCount, removed: removed, added: added, addedRecords: records)
    }

    /// A `changedSharing` section: varint counts and ordinal gaps, the added records, then per
    /// pool end column the runs added records take from removed ones. Ordinals and copies are
    /// checked for order and range here; `TypeData.applying` checks them against the origin state.
    static func readSharedChanges(from reader: ByteReader, plan: TypePlan, type: String, version: UInt16,
                                  isDictionary: Bool = false) throws(BlobError) -> TypeDataDelta {
        let ordinalCount = try reader.varint("\(type): ordinal count", limit: TypeData.maximumOrdinalCount)
        var lists: [[Int]] = []
        for what in ["removed", "added"] {
            // Each ordinal takes at least a byte.
            let count = try reader.varint("\(type): \(what) count", limit: Swift.min(reader.content.remaining, TypeData.maximumOrdinalCount))
            var ordinals: [Int] = []
            // Reserved only up to what a few bytes surely hold: the count is checked against the
            // content the frame declares, which may be far more than the blob holds.
            ordinals.reserveCapacity(Swift.min(count, 1 << 16))
            var next = 0
            for _ in 0..<count {
                let gap = try reader.varint("\(type): \(what) ordinal", limit: TypeData.maximumOrdinalCount - next)
                ordinals.append(next + gap)
                next += gap + 1
            }
            lists.append(ordinals)
        }
        let (removed, added) = (lists[0], lists[1])
        let records = try TypeSection.read(from: reader, plan: plan, includePopulated: false, recordCount: added.count, type: type,
                                           version: version, isDictionary: isDictionary)
        let endColumns = plan.poolEndColumns
        // Only the strings and bytes of object types are shared: a list, set or map record is
        // deduplicated by its content, so an equal run is never both removed and added.
        let listCount = try reader.varint("\(type): copy lists", limit: plan.isCollection ? 0 : endColumns.count)
        guard listCount == 0 || listCount == endColumns.count else {
            throw .corrupt("\(type): \(listCount) copy lists for \(endColumns.count) pool end columns")
        }
        var copies: [[TypeDataDelta.Copy]] = []
        for position in 0..<listCount {
            let count = try reader.varint("\(type): copies of end column \(endColumns[position])", limit: Swift.min(added.count, removed.count))
            var list: [TypeDataDelta.Copy] = []
            list.reserveCapacity(count)
            var lent = [Bool](repeating: false, count: removed.count)
            var nextAdded = 0
            var previousRemoved = -1
            for _ in 0..<count {
                let addedIndex = nextAdded + (try reader.varint("\(type): copied record", limit: added.count - 1 - nextAdded))
                let step = ZigZag.decode(UInt64(try reader.varint("\(type): lending record", limit: Int.max)))
                let (removedIndex, overflow) = Int64(previousRemoved + 1).addingReportingOverflow(step)
                guard !overflow, removedIndex >= 0, removedIndex < Int64(removed.count), !lent[Int(removedIndex)] else {
                    throw .corrupt("\(type): added record \(addedIndex) copies from removed record \(removedIndex), not one of the \(removed.count) removed or lent twice")
                }
                lent[Int(removedIndex)] = true
                list.append(TypeDataDelta.Copy(added: addedIndex, removed: Int(removedIndex)))
                nextAdded = addedIndex + 1
                previousRemoved = Int(removedIndex)
            }
            copies.append(list)
        }
        return TypeDataDelta(ordinalCount: ordinalCount, removed: removed, added: added, addedRecords: records, copies: copies)
    }

    private static func requireSameSchema(_ old: TypeSchema, _ new: TypeSchema) throws(BlobError) {
        if let problem = SchemaChange.problem(from: old, to: new) { throw .schema(problem) }
        guard old == new else {
            throw .schema(.incompatibleChange(type: new.name, field: nil, message: "the type changed but the delta does not carry it whole"))
        }
    }
}
