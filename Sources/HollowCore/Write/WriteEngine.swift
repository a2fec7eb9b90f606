/// The state behind `WriteState`, guarded by its lock.
struct WriteEngine: Sendable {
    /// The schema of the cycle under way.
    private(set) var schema: Schema
    /// The schema of the last committed state.
    private var committedSchema: Schema
    private(set) var types: [String: TypeWriteState] = [:]
    /// Types of the committed state that the cycle's schema removed or replaced; kept until commit
    /// for the reverse delta, and put back by a rollback.
    private var setAside: [String: TypeWriteState] = [:]
    private(set) var stateID: UInt64 = 0
    private var pendingStateID: UInt64?
    /// Whether records were removed one by one, or kept across a schema change, either of which may
    /// leave references dangling.
    private var referencesNeedChecking = false

    init(schema: Schema) {
        self.schema = schema
        committedSchema = schema
        for type in schema.types { types[type.name] = TypeWriteState(schema: type) }
    }

    /// The engine of a producer that continues from `state`: its records keep their ordinals and
    /// the next cycle's delta starts from `state.stateID`.
    init(restoring state: ReadState) {
        schema = state.schema
        committedSchema = state.schema
        for type in state.schema.types { types[type.name] = TypeWriteState(restoring: state.types[type.name]!) }
        stateID = state.stateID
    }

    mutating func beginCycle(schema newSchema: Schema?) throws(WriteError) {
        rollback()
        for name in Array(types.keys) { types[name]!.beginCycle() }
        referencesNeedChecking = false
        guard let newSchema, newSchema != committedSchema else { return }
        for type in newSchema.types {
            if let old = committedSchema[type.name], let problem = SchemaChange.problem(from: old, to: type) {
                throw .schema(problem)
            }
        }
        for type in newSchema.types {
            guard let old = committedSchema[type.name] else {
                types[type.name] = TypeWriteState(schema: type)
                continue
            }
            if old != type {
                setAside[type.name] = types[type.name]
                types[type.name] = TypeWriteState(schema: type)
            }
        }
        for type in committedSchema.types where newSchema[type.name] == nil {
            setAside[type.name] = types.removeValue(forKey: type.name)
        }
        schema = newSchema
    }

    mutating func add(_ record: ObjectRecord, content: [UInt8]) throws(WriteError) -> Int {
        let name = record.schema.name
        // Only the schema is taken out: a copy of the type's state held across the add below
        // would make the add copy all its tables.
        guard let schema = types[name]?.schema else { throw .unknownType(name) }
        guard case .object(let declared) = schema, declared == record.schema else {
            throw .wrongKind(type: name, expected: "the object type the record was built for")
        }
        for (field, value) in zip(declared.fields, record.values) {
            if case .reference(let target) = field.type, case .reference(let ordinal)? = value,
               types[target]?.isCurrent(ordinal) != true {
                throw .invalidReference(type: name, field: field.name, ordinal: ordinal, target: target)
            }
        }
        return try types[name]!.add(content)
    }

    mutating func addCollection(_ name: String, keys: [Int], values: [Int]?) throws(WriteError) -> Int {
        guard let schema = types[name]?.schema else { throw .unknownType(name) }
        var content: [UInt8] = []
        switch schema {
        case .list(_, let element):
            guard values == nil else { throw .wrongKind(type: name, expected: "a map type") }
            try check(keys, target: element, in: name)
            Varint.append(UInt64(keys.count), to: &content)
            for ordinal in keys { Varint.append(UInt64(ordinal), to: &content) }
        case .set(_, let element):
            guard values == nil else { throw .wrongKind(type: name, expected: "a map type") }
            try check(keys, target: element, in: name)
            let unique = Array(Set(keys)).sorted()
            Varint.append(UInt64(unique.count), to: &content)
            for ordinal in unique { Varint.append(UInt64(ordinal), to: &content) }
        case .map(_, let keyType, let valueType):
            guard let values else { throw .wrongKind(type: name, expected: "a \(schema.kindName) type") }
            try check(keys, target: keyType, in: name)
            try check(values, target: valueType, in: name)
            let entries = zip(keys, values).sorted { $0.0 < $1.0 }
            Varint.append(UInt64(entries.count), to: &content)
            var previous = -1
            for (key, value) in entries {
                guard key != previous else { throw .duplicateMapKey(type: name, key: key) }
                previous = key
                Varint.append(UInt64(key), to: &content)
                Varint.append(UInt64(value), to: &content)
            }
        case .object:
            throw .wrongKind(type: name, expected: "a list, set or map type")
        }
        return try types[name]!.add(content)
    }

    private func check(_ ordinals: [Int], target: String, in type: String) throws(WriteError) {
        guard types[target] != nil else { throw .unknownType(target) }
        for ordinal in ordinals where ordinal < 0 || types[target]?.isCurrent(ordinal) != true {
            throw .invalidReference(type: type, field: nil, ordinal: ordinal, target: target)
        }
    }

    mutating func keepCommitted() {
        for name in Array(types.keys) where setAside[name] == nil { types[name]!.keepCommitted() }
        // Kept records may refer to a type this cycle's schema replaced (its ordinals start over):
        // check every reference before writing.
        if !setAside.isEmpty { referencesNeedChecking = true }
    }

    mutating func remove(_ ordinal: Int, from name: String) throws(WriteError) {
        guard types[name] != nil else { throw .unknownType(name) }
        types[name]!.remove(ordinal)
        referencesNeedChecking = true
    }

    mutating func writeBlobs() throws(WriteError) -> CycleBlobs? {
        let isFirst = stateID == 0
        let schemaChanged = schema != committedSchema
        guard isFirst || schemaChanged || types.values.contains(where: \.hasChanges) else {
            pendingStateID = nil
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
        for type in schema.types {
            let state = types[type.name]!
            let full = state.data(of: state.current, ordinalCount: state.ordinalCount)
            snapshot.append((type.name, .full(full)))
            if isFirst { continue }
            if let old = setAside[type.name] {
                delta.append((type.name, .full(full)))
                reverse.append((type.name, .full(old.data(of: old.committed, ordinalCount: old.committedOrdinalCount))))
                changes[type.name] = TypeChangeSummary(added: state.current.count, removed: old.committed.count,
                                                       recordCount: state.current.count)
            } else if committedSchema[type.name] == nil {
                delta.append((type.name, .full(full)))
                reverse.append((type.name, .removed))
                changes[type.name] = TypeChangeSummary(added: state.current.count, removed: 0, recordCount: state.current.count)
            } else {
                let added = state.added
                let removed = state.removed
                changes[type.name] = TypeChangeSummary(added: added.count, removed: removed.count, recordCount: state.current.count)
                guard !added.isEmpty || !removed.isEmpty else { continue }
                delta.append((type.name, .changed(TypeDataDelta(
                    ordinalCount: state.ordinalCount, removed: removed, added: added, addedRecords: state.packed(added)))))
                reverse.append((type.name, .changed(TypeDataDelta(
                    ordinalCount: state.committedOrdinalCount, removed: added, added: removed, addedRecords: state.packed(removed)))))
            }
        }
        for type in committedSchema.types where schema[type.name] == nil {
            let old = setAside[type.name]!
            delta.append((type.name, .removed))
            reverse.append((type.name, .full(old.data(of: old.committed, ordinalCount: old.committedOrdinalCount))))
            changes[type.name] = TypeChangeSummary(added: 0, removed: old.committed.count, recordCount: 0)
        }
        if isFirst {
            for type in schema.types {
                let count = types[type.name]!.current.count
                changes[type.name] = TypeChangeSummary(added: count, removed: 0, recordCount: count)
            }
        }
        pendingStateID = newID
        return CycleBlobs(
            stateID: newID,
            originStateID: stateID,
            snapshot: BlobWriter.write(BlobHeader(kind: .snapshot, origin: 0, destination: newID, schema: schema), sections: snapshot),
            delta: isFirst ? nil : BlobWriter.write(BlobHeader(kind: .delta, origin: stateID, destination: newID, schema: schema), sections: delta),
            reverseDelta: isFirst ? nil : BlobWriter.write(
                BlobHeader(kind: .reverseDelta, origin: newID, destination: stateID, schema: committedSchema), sections: reverse),
            changes: changes)
    }

    mutating func commit() {
        guard let pendingStateID else { return }
        stateID = pendingStateID
        self.pendingStateID = nil
        for name in Array(types.keys) { types[name]!.commit() }
        committedSchema = schema
        setAside = [:]
    }

    mutating func rollback() {
        pendingStateID = nil
        for name in Array(types.keys) where setAside[name] == nil && committedSchema[name] != nil { types[name]!.rollback() }
        for (name, state) in setAside { types[name] = state }
        for name in Array(types.keys) where committedSchema[name] == nil { types[name] = nil }
        setAside = [:]
        schema = committedSchema
    }

    /// After records were removed one by one, every reference must still point at a record of the cycle.
    private func checkReferences() throws(WriteError) {
        for type in schema.types {
            let state = types[type.name]!
            var failure: WriteError?
            state.current.forEach { ordinal in
                guard failure == nil, let content = state.content(ordinal) else { return }
                RecordFields.forEachReference(content, schema: type) { field, target, referenced in
                    if failure == nil, types[target]?.isCurrent(referenced) != true {
                        failure = .invalidReference(type: type.name, field: field, ordinal: referenced, target: target)
                    }
                }
            }
            if let failure { throw failure }
        }
    }

    /// Two different records of a type with a primary key may not share it.
    private func checkPrimaryKeys() throws(WriteError) {
        for case .object(let object) in schema.types {
            guard let key = object.primaryKey else { continue }
            let paths: [[(type: ObjectSchema, fieldIndex: Int)]]
            do { paths = try key.map { (path) throws(SchemaError) in try schema.resolve(path: path, from: object.name) } } catch {
                throw .schema(error)
            }
            let state = types[object.name]!
            var seen: Set<[UInt8]> = []
            var failure: WriteError?
            state.current.forEach { ordinal in
                guard failure == nil else { return }
                var keyBytes: [UInt8] = []
                for path in paths {
                    RecordFields.appendKeyBytes(path: path, from: ordinal, types: types, to: &keyBytes)
                }
                if !seen.insert(keyBytes).inserted {
                    failure = .duplicatePrimaryKey(type: object.name, key: RecordFields.describeKey(paths: paths, ordinal: ordinal, types: types))
                }
            }
            if let failure { throw failure }
        }
    }
}
