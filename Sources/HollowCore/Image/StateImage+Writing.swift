extension StateImage {
    /// The image of `state` and of the indexes given (each an index of `state`), with `metadata`
    /// stored beside them. Write it to a new file and rename that over the old one: a mapped image
    /// must never be truncated or rewritten in place.
    public static func bytes(of state: ReadState, primaryKeyIndexes: [String: PrimaryKeyIndex] = [:],
                             hashIndexes: [String: HashIndex] = [:], metadata: [UInt8] = []) -> [UInt8] {
        var image: [UInt8] = []
        write(of: state, primaryKeyIndexes: primaryKeyIndexes, hashIndexes: hashIndexes, metadata: metadata) { image.append(contentsOf: $0) }
        return image
    }

    /// Gives the image to `sink` piece by piece, in order, without building it in memory: each
    /// storage of the state goes to the sink as it lies. The first error of the sink stops the
    /// writing and is thrown.
    public static func write<E: Error>(of state: ReadState, primaryKeyIndexes: [String: PrimaryKeyIndex] = [:],
                                       hashIndexes: [String: HashIndex] = [:], metadata: [UInt8] = [],
                                       to sink: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        var failure: E?
        withoutActuallyEscaping(sink) { sink in
            var writer = ByteWriter()
            writer.sink = { buffer in
                do throws(E) {
                    try sink(buffer)
                    return true
                } catch {
                    failure = error
                    return false
                }
            }
            write(state, primaryKeyIndexes: primaryKeyIndexes, hashIndexes: hashIndexes, metadata: metadata, to: &writer)
            writer.flush()
        }
        if let failure { throw failure }
    }

    private static func write(_ state: ReadState, primaryKeyIndexes: [String: PrimaryKeyIndex], hashIndexes: [String: HashIndex],
                              metadata: [UInt8], to writer: inout ByteWriter) {
        precondition(metadata.count <= maximumMetadataBytes, "image metadata of \(metadata.count) bytes")
        precondition(primaryKeyIndexes.count + hashIndexes.count <= maximumIndexes, "too many indexes for an image")
        writer.alignsStorage = true
        writer.bytes.append(contentsOf: magic)
        writer.u16(version)
        writer.u16(0)
        writer.u32(UInt32(metadata.count))
        writer.bytes.append(contentsOf: metadata)
        BlobHeader(kind: .snapshot, origin: 0, destination: state.stateID, schema: state.schema).write(to: &writer)
        writer.u32(UInt32(state.schema.types.count))
        for type in state.schema.types where !writer.sinkFailed {
            let readState = state.types[type.name]!
            writer.string16(type.name)
            writer.u8(BlobLayout.SectionKind.full.rawValue)
            // As it lies in memory, shard by shard, without the records a shard keeps after their removal.
            let data: TypeShards
            do { data = try readState.data.compacted(plan: readState.plan, type: type.name) } catch {
                preconditionFailure("\(type.name): a state's own storage cannot be built again: \(error)")
            }
            writer.u8(UInt8(data.shardBits))
            writer.u32(UInt32(data.shards.count))
            for (index, shard) in data.shards.enumerated() {
                TypeSection.write(shard, plan: readState.plan, includePopulated: true, to: &writer, afterFirstShard: index > 0)
            }
            // The type's populated bits in one piece, mapped as they are by the reader.
            if data.shards.count > 1 { writer.storage(data.populated) }
        }
        let indexes = primaryKeyIndexes.sorted { $0.key < $1.key }.map { (primaryKeyKind, $0.key, $0.value.core) }
            + hashIndexes.sorted { $0.key < $1.key }.map { (hashKind, $0.key, $0.value.core) }
        writer.u32(UInt32(indexes.count))
        for (kind, name, core) in indexes where !writer.sinkFailed {
            precondition(core.state === state, "index '\(name)' is not of the state imaged")
            writer.u8(kind)
            writer.string16(name)
            writer.string16(core.key.type)
            writer.u16(UInt16(core.key.paths.count))
            for path in core.key.paths { writer.string16(path) }
            writer.u64(UInt64(core.table.keyCount))
            writer.u8(UInt8(core.table.ordinalBits))
            writer.u8(UInt8(core.table.minimumOrdinalBits))
            writer.u64(UInt64(core.table.slots.count))
            writer.u64(UInt64(core.table.next.count))
            writer.storage(UnsafeRawBufferPointer(core.table.slots.buffer))
            writer.storage(UnsafeRawBufferPointer(core.table.next.buffer))
        }
        writer.bytes.append(contentsOf: endMagic)
    }
}
