extension WriteEngine {
    /// The blobs of the cycle under way (nil when nothing changed): a snapshot, and from the
    /// second state on a delta and a reverse delta. The new state id stays pending until `commit()`.
    mutating func writeBlobs() throws(WriteError) -> CycleBlobs? {
        let isFirst = stateID == 0
        let schemaChanged = schema != committedSchema
        pendingStateID = nil
        guard isFirst || schemaChanged || states.contains(where: \.hasChanges) else {
            return nil
        }
        if referencesNeedChecking { try checkReferences() }
        try checkPrimaryKeys()
        var newID: UInt64
        repeat { newID = UInt64.random(in: 1...UInt64.max) } while newID == stateID

        var snapshot: [(name: String, section: BlobWriter.Section)] = []
        var delta: [(name: String, section: BlobWriter.Section)] = []
        var reverse: [(name: String, section: BlobWriter.Section)] = []
        var changes: [String: TypeChangeSummary] = [:]
        var written: [String: TypeData] = [:]
        try chooseCodings()
        for (position, type) in schema.types.enumerated() {
            // A type of the committed state whose schema stayed: its changes, as the delta carries them.
            let continuing = !isFirst && setAside[type.name] == nil && committedSchema[type.name] != nil
            let added = continuing ? states[position].added : []
            let removed = continuing ? states[position].removed : []
            let addedRecords = continuing && !(added.isEmpty && removed.isEmpty)
                ? states[position].packed(added, changes: states[position].dictionaryChanges(reverse: false)) : nil
            let full = nextData(at: position, continuing: continuing, added: added, removed: removed, addedRecords: addedRecords)
            guard full.pools.allSatisfy({ $0.count <= TypeData.maximumPoolElementCount && ($0.dictionary?.pools[0].count ?? 0) <= TypeData.maximumPoolElementCount })
            else { throw .tooManyElements(type: type.name) }
            snapshot.append((type.name, .full(full)))
            written[type.name] = full
            if isFirst { continue }
            let current = states[position].current
            if let old = setAside[type.name] {
                delta.append((type.name, .full(full)))
                reverse.append((type.name, .full(old.committedData ?? old.committedDataRebuilt())))
                changes[type.name] = TypeChangeSummary(added: current.count, removed: old.committed.count,
                                                       recordCount: current.count)
            } else if committedSchema[type.name] == nil {
                delta.append((type.name, .full(full)))
                reverse.append((type.name, .removed))
                changes[type.name] = TypeChangeSummary(added: current.count, removed: 0, recordCount: current.count)
            } else {
                changes[type.name] = TypeChangeSummary(added: added.count, removed: removed.count, recordCount: current.count)
                guard !added.isEmpty || !removed.isEmpty else { continue }
                // A changed record's unchanged strings and collections are taken from the record
                // it replaces, in both directions, rather than carried again.
                let addedRecords = addedRecords ?? states[position].packed(added, changes: states[position].dictionaryChanges(reverse: false))
                let removedRecords = states[position].packed(removed, changes: states[position].dictionaryChanges(reverse: true))
                let plan = states[position].plan
                delta.append((type.name, .changed(TypeDataDelta.sharingRuns(
                    ordinalCount: states[position].ordinalCount, removed: removed, added: added,
                    addedRecords: addedRecords, removedRecords: removedRecords, plan: plan))))
                reverse.append((type.name, .changed(TypeDataDelta.sharingRuns(
                    ordinalCount: states[position].committedOrdinalCount, removed: added, added: removed,
                    addedRecords: removedRecords, removedRecords: addedRecords, plan: plan))))
            }
        }
        for type in committedSchema.types where schema[type.name] == nil {
            let old = setAside[type.name]!
            delta.append((type.name, .removed))
            reverse.append((type.name, .full(old.committedData ?? old.committedDataRebuilt())))
            changes[type.name] = TypeChangeSummary(added: 0, removed: old.committed.count, recordCount: 0)
        }
        if isFirst {
            for (position, type) in schema.types.enumerated() {
                let count = states[position].current.count
                changes[type.name] = TypeChangeSummary(added: count, removed: 0, recordCount: count)
            }
        }
        pendingStateID = newID
        return CycleBlobs(
            stateID: newID,
            originStateID: stateID,
            delta: isFirst ? nil : BlobWriter.write(BlobHeader(kind: .delta, origin: stateID, destination: newID, schema: schema), sections: delta),
            reverseDelta: isFirst ? nil : BlobWriter.write(
                BlobHeader(kind: .reverseDelta, origin: newID, destination: stateID, schema: committedSchema), sections: reverse),
            changes: changes,
            written: written,
            lazySnapshot: LazySnapshot(header: BlobHeader(kind: .snapshot, origin: 0, destination: newID, schema: schema), sections: snapshot))
    }
}
