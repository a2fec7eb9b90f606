extension CycleBlobs {
    /// The new state as a consumer reads it from these blobs: the delta applied to `previous` (the
    /// state it starts from) when there are both, else the snapshot. Every byte is read and
    /// checked as a consumer's load checks it, so that what is announced is known to load; but
    /// where what is read is identical to the storage the writer built, the state keeps the
    /// writer's storage instead of a copy. A snapshot's storages are compared with the writer's as
    /// they are decompressed, a megabyte at a time, so that reading it back allocates no storage;
    /// a delta's changed types are built as a consumer builds them, then compared.
    public func readBack(onto previous: ReadState?) throws(BlobError) -> ReadState {
        if let previous, let delta {
            return try previous.applying(delta: delta).sharingStorage(with: written)
        }
        let (stateID, schema, types) = try snapshot.withUnsafeBytesTyped { (bytes) throws(BlobError) in
            try BlobReader.readSnapshot(bytes, written: WrittenStorages(snapshotStorages))
        }
        return ReadState(stateID: stateID, schema: schema, types: types).sharingStorage(with: written)
    }
}

extension ReadState {
    /// This state with the storage of each type taken from `written` where it is identical.
    func sharingStorage(with written: [String: TypeData]) -> ReadState {
        var shared = types
        for (name, type) in types {
            guard let data = written[name], type.data.shards.count == 1, data.isIdentical(to: type.data.whole) else { continue }
            shared[name] = TypeReadState(schema: type.schema, plan: type.plan, data: data, changes: type.changes)
        }
        return ReadState(stateID: stateID, schema: schema, types: shared, originStateID: originStateID, shardBits: shardBits)
    }
}
