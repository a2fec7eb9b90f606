extension StateImage {
    /// Maps the image at `path` and checks it as `check` says. Nothing is handed out unless the
    /// header, every shape and (with `.structure`) every value checked passed.
    public init(mapping path: String, check: Check = .structure) throws(StateImageError) {
        let file = try MappedFile(path: path, populate: check == .structure)
        do {
            try self.init(file, check: check)
        } catch {
            throw .refused(path: path, error)
        }
    }

    private init(_ file: MappedFile, check: Check) throws(BlobError) {
        var reader = ByteReader(content: BlobContent(mapped: file, range: 0..<file.byteCount))
        reader.alignsStorage = true
        reader.checksValues = check == .structure
        let magic = try reader.bytes(StateImage.magic.count, "magic")
        guard magic == StateImage.magic else { throw .unsupportedFormat("not a swift-hollow state image") }
        let version = try reader.u16()
        guard version == StateImage.version else {
            throw .unsupportedFormat("image format version \(version), this build reads version \(StateImage.version)")
        }
        guard try reader.u16() == 0 else { throw .corrupt("reserved bytes at offset 10 are not zero") }
        let metadataCount = Int(try reader.u32())
        guard metadataCount <= StateImage.maximumMetadataBytes else { throw .corrupt("metadata of \(metadataCount) bytes") }
        metadata = try reader.bytes(metadataCount, "metadata")
        let (stateID, schema, types) = try BlobReader.readSnapshot(from: reader, validate: check == .structure, isWhole: false,
                                                                   shardBits: TypeShards.defaultShardBits, inShards: true)
        let state = ReadState(stateID: stateID, schema: schema, types: types, shardBits: TypeShards.defaultShardBits)
        self.state = state

        let indexCount = Int(try reader.u32())
        guard indexCount <= StateImage.maximumIndexes else { throw .corrupt("\(indexCount) indexes") }
        var primaryKeyIndexes: [String: PrimaryKeyIndex] = [:]
        var hashIndexes: [String: HashIndex] = [:]
        for _ in 0..<indexCount {
            let at = reader.offset
            let kind = try reader.u8()
            let name = try reader.string16("index name")
            let core = try StateImage.readIndex(from: reader, state: state, name: name, check: check)
            switch kind {
            case StateImage.primaryKeyKind where primaryKeyIndexes[name] == nil:
                primaryKeyIndexes[name] = PrimaryKeyIndex(core: core)
            case StateImage.hashKind where hashIndexes[name] == nil:
                hashIndexes[name] = HashIndex(core: core)
            default:
                throw .corrupt("index '\(name)' at offset \(at): of kind \(kind), or named twice")
            }
        }
        guard try reader.bytes(StateImage.endMagic.count, "end marker") == StateImage.endMagic else {
            throw .corrupt("no end marker at offset \(reader.offset - StateImage.endMagic.count)")
        }
        try reader.content.finish()
        self.primaryKeyIndexes = primaryKeyIndexes
        self.hashIndexes = hashIndexes
    }

    /// One index's key and table, checked against the state.
    private static func readIndex(from reader: ByteReader, state: ReadState, name: String,
                                  check: Check) throws(BlobError) -> IndexCore {
        let type = try reader.string16("index '\(name)': type")
        let pathCount = Int(try reader.u16())
        guard pathCount >= 1, pathCount <= Schema.maximumColumns else { throw .corrupt("index '\(name)': \(pathCount) key paths") }
        var paths: [String] = []
        for _ in 0..<pathCount { paths.append(try reader.string16("index '\(name)': key path")) }
        guard let records = state.types[type], case .object = records.schema else {
            throw .corrupt("index '\(name)': type '\(type)' is not an object type of the image's schema")
        }
        let ordinalCount = records.data.ordinalCount
        // A table keeps the room of the most ordinals its type had (a reverse delta may have
        // shrunk the type since): a chain at least as long as the type's ordinals, and the bits
        // for that chain's ordinals.
        let keyCount = try reader.count("index '\(name)': key count", limit: ordinalCount)
        let ordinalBits = Int(try reader.u8())
        let minimumOrdinalBits = Int(try reader.u8())
        let slotCount = try reader.count("index '\(name)': slot count", limit: reader.content.remaining / 4)
        guard slotCount >= 16, slotCount & (slotCount - 1) == 0, keyCount * 2 <= slotCount else {
            throw .corrupt("index '\(name)': \(slotCount) slots for \(keyCount) keys")
        }
        let chainCount = try reader.count("index '\(name)': chain length", limit: Swift.min(reader.content.remaining / 4, TypeData.maximumOrdinalCount))
        guard chainCount >= ordinalCount else {
            throw .corrupt("index '\(name)': a chain of \(chainCount) for \(ordinalCount) ordinals")
        }
        guard (1...32).contains(minimumOrdinalBits),
              ordinalBits == IndexTable.ordinalBits(for: chainCount, minimum: minimumOrdinalBits) else {
            throw .corrupt("index '\(name)': \(ordinalBits) ordinal bits (at least \(minimumOrdinalBits)) for a chain of \(chainCount)")
        }
        let slots = try words(from: reader, count: slotCount, "index '\(name)': slots")
        let next = try words(from: reader, count: chainCount, "index '\(name)': chain")
        let table = IndexTable(slots: slots, next: next, keyCount: keyCount, ordinalBits: ordinalBits, minimumOrdinalBits: minimumOrdinalBits)
        let core: IndexCore
        do { core = try IndexCore(state: state, type: type, paths: paths, table: table) } catch {
            throw .corrupt("index '\(name)': \(error)")
        }
        if check == .structure {
            // Safe to probe: every ordinal indexed is a record, every chain ends, the table is at
            // most half full. Not that it matches the records' keys, which would cost an index
            // build; so the index is rebuilt, not updated, at its first delta (`isVerified`).
            let data = records.data
            if let problem = IndexTable._invariantViolation(slots: slots.buffer, next: next.buffer, keyCount: keyCount,
                                                            ordinalBits: ordinalBits, hash: nil,
                                                            isRecord: { $0 < ordinalCount && data.isPopulated($0) }) {
                throw .corrupt("index '\(name)': \(problem)")
            }
        }
        return core
    }

    /// `count` 32-bit words viewed in place (storage is 8-byte aligned in an image).
    private static func words(from reader: ByteReader, count: Int, _ what: String) throws(BlobError) -> IndexWords {
        let storage = try reader.storage(bitCount: count * 32, what)
        return IndexWords(viewing: storage, count: count)
    }
}
