/// The state behind `WriteState`, guarded by its lock.
struct WriteEngine: Sendable {
    /// The schema of the cycle under way.
    private(set) var schema: Schema
    /// The schema of the last committed state.
    private var committedSchema: Schema
    /// One per type of `schema`, in its order.
    private(set) var states: [TypeWriteState] = []
    /// The position in `states` of each type, by name.
    private var positions: [String: Int] = [:]
    /// The name of each type, by position (a short schema is searched by comparing names, which
    /// costs less than hashing the name).
    private var names: [String] = []
    /// Per type of `schema`: the positions of the types its elements (list, set), or keys and
    /// values (map), refer to.
    private var elementPositions: [(first: Int, second: Int)] = []
    /// Per type of `schema`, per field of an object type: the position of the type a reference
    /// field refers to, or -1 (so that an add checks references with no look-up by name).
    private var referencePositions: [[Int]] = []
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
        states = schema.types.map { TypeWriteState(schema: $0) }
        indexTypes()
    }

    /// The engine of a producer that continues from `state`: its records keep their ordinals and
    /// the next cycle's delta starts from `state.stateID`.
    init(restoring state: ReadState) {
        schema = state.schema
        committedSchema = state.schema
        states = state.schema.types.map { TypeWriteState(restoring: state.types[$0.name]!) }
        stateID = state.stateID
        indexTypes()
    }

    /// Rebuilds `positions` and `referencePositions` for `schema` (whose order `states` follows).
    private mutating func indexTypes() {
        positions = Dictionary(uniqueKeysWithValues: schema.types.enumerated().map { ($1.name, $0) })
        names = schema.types.map(\.name)
        elementPositions = schema.types.map { type in
            switch type {
            case .object: (-1, -1)
            case .list(_, let element), .set(_, let element): (positions[element] ?? -1, -1)
            case .map(_, let key, let value): (positions[key] ?? -1, positions[value] ?? -1)
            }
        }
        referencePositions = schema.types.map { type in
            guard case .object(let object) = type else { return [] }
            return object.fields.map { field in
                if case .reference(let target) = field.type { positions[target] ?? -1 } else { -1 }
            }
        }
    }

    /// The position of the type `name` in `states`.
    @inline(__always)
    private func position(of name: String) -> Int? {
        if names.count <= 8 {
            for index in names.indices where names[index] == name { return index }
            return nil
        }
        return positions[name]
    }

    /// Whether the record `ordinal` of `type` is in the cycle under way.
    func isCurrent(_ ordinal: Int, in type: String) -> Bool {
        guard let position = position(of: type) else { return false }
        return states[position].isCurrent(ordinal)
    }

    mutating func beginCycle(schema newSchema: Schema?) throws(WriteError) {
        rollback()
        for position in states.indices { states[position].beginCycle() }
        referencesNeedChecking = false
        guard let newSchema, newSchema != committedSchema else { return }
        for type in newSchema.types {
            if let old = committedSchema[type.name], let problem = SchemaChange.problem(from: old, to: type) {
                throw .schema(problem)
            }
        }
        var byName: [String: TypeWriteState] = [:]
        for (position, type) in schema.types.enumerated() { byName[type.name] = states[position] }
        states = []
        var newStates: [TypeWriteState] = []
        for type in newSchema.types {
            if let old = committedSchema[type.name], old == type {
                newStates.append(byName.removeValue(forKey: type.name)!)
                continue
            }
            if committedSchema[type.name] != nil { setAside[type.name] = byName.removeValue(forKey: type.name) }
            newStates.append(TypeWriteState(schema: type))
        }
        for type in committedSchema.types where newSchema[type.name] == nil {
            setAside[type.name] = byName.removeValue(forKey: type.name)
        }
        states = newStates
        schema = newSchema
        indexTypes()
    }

    /// Adds an object record encoded as `content` (hash `hash`, see `RecordStore.hash`).
    mutating func add(_ record: ObjectRecord, content: UnsafeRawBufferPointer, hash: UInt64) throws(WriteError) -> Int {
        let name = record.schema.name
        guard let position = position(of: name) else { throw .unknownType(name) }
        guard case .object(let declared) = states[position].schema, declared == record.schema else {
            throw .wrongKind(type: name, expected: "the object type the record was built for")
        }
        let targets = referencePositions[position]
        for index in targets.indices where targets[index] >= 0 {
            if case .reference(let ordinal)? = record.values[index], !states[targets[index]].isCurrent(ordinal) {
                throw .invalidReference(type: name, field: declared.fields[index].name, ordinal: ordinal,
                                        target: states[targets[index]].schema.name)
            }
        }
        return try states[position].add(content, hash: hash)
    }

    mutating func addCollection(_ name: String, keys: [Int], values: [Int]?) throws(WriteError) -> Int {
        guard let position = position(of: name) else { throw .unknownType(name) }
        let targets = elementPositions[position]
        switch states[position].schema {
        case .list(_, let element):
            guard values == nil else { throw .wrongKind(type: name, expected: "a map type") }
            try check(keys, target: element, at: targets.first, in: name)
            return try WriteEngine.withEncoding(capacity: (keys.count &+ 1) &* EncodingWriter.maximumVarintBytes) { writer in
                writer.varint(UInt64(keys.count))
                for ordinal in keys { writer.varint(UInt64(ordinal)) }
            } add: { bytes, hash throws(WriteError) in try states[position].add(bytes, hash: hash) }
        case .set(_, let element):
            guard values == nil else { throw .wrongKind(type: name, expected: "a map type") }
            try check(keys, target: element, at: targets.first, in: name)
            return try withUnsafeTemporaryAllocation(of: Int.self, capacity: keys.count) { (buffer) throws(WriteError) -> Int in
                var sorted = buffer
                _ = sorted.initialize(from: keys)
                sorted.sort()
                var unique = 0
                for index in sorted.indices where index == 0 || sorted[index] != sorted[index &- 1] {
                    sorted[unique] = sorted[index]
                    unique &+= 1
                }
                return try WriteEngine.withEncoding(capacity: (unique &+ 1) &* EncodingWriter.maximumVarintBytes) { writer in
                    writer.varint(UInt64(unique))
                    for index in 0..<unique { writer.varint(UInt64(sorted[index])) }
                } add: { bytes, hash throws(WriteError) in try states[position].add(bytes, hash: hash) }
            }
        case .map(_, let keyType, let valueType):
            guard let values else { throw .wrongKind(type: name, expected: "a \(states[position].schema.kindName) type") }
            try check(keys, target: keyType, at: targets.first, in: name)
            try check(values, target: valueType, at: targets.second, in: name)
            let entries = zip(keys, values).sorted { $0.0 < $1.0 }
            var previous = -1
            for (key, _) in entries {
                guard key != previous else { throw .duplicateMapKey(type: name, key: key) }
                previous = key
            }
            return try WriteEngine.withEncoding(capacity: (2 &* entries.count &+ 1) &* EncodingWriter.maximumVarintBytes) { writer in
                writer.varint(UInt64(entries.count))
                for (key, value) in entries {
                    writer.varint(UInt64(key))
                    writer.varint(UInt64(value))
                }
            } add: { bytes, hash throws(WriteError) in try states[position].add(bytes, hash: hash) }
        case .object:
            throw .wrongKind(type: name, expected: "a list, set or map type")
        }
    }

    /// Encodes into a temporary buffer of `capacity` bytes, then adds the bytes with their hash.
    private static func withEncoding(capacity: Int, _ encode: (inout EncodingWriter) -> Void,
                                       add: (UnsafeRawBufferPointer, UInt64) throws(WriteError) -> Int) throws(WriteError) -> Int {
        try withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 8) { (buffer) throws(WriteError) -> Int in
            var writer = EncodingWriter(buffer)
            encode(&writer)
            let bytes = writer.bytes
            return try add(bytes, RecordStore.hash(bytes))
        }
    }

    /// Checks that `ordinals` are records of the cycle in `target`, at `position` (-1: no such type).
    private func check(_ ordinals: [Int], target: String, at position: Int, in type: String) throws(WriteError) {
        guard position >= 0 else { throw .unknownType(target) }
        for ordinal in ordinals where ordinal < 0 || !states[position].isCurrent(ordinal) {
            throw .invalidReference(type: type, field: nil, ordinal: ordinal, target: target)
        }
    }

    mutating func keepCommitted() {
        for (position, type) in schema.types.enumerated() where setAside[type.name] == nil { states[position].keepCommitted() }
        // Kept records may refer to a type this cycle's schema replaced (its ordinals start over):
        // check every reference before writing.
        if !setAside.isEmpty { referencesNeedChecking = true }
    }

    mutating func remove(_ ordinal: Int, from name: String) throws(WriteError) {
        guard let position = position(of: name) else { throw .unknownType(name) }
        states[position].remove(ordinal)
        referencesNeedChecking = true
    }

    mutating func writeBlobs() throws(WriteError) -> CycleBlobs? {
        let isFirst = stateID == 0
        let schemaChanged = schema != committedSchema
        guard isFirst || schemaChanged || states.contains(where: \.hasChanges) else {
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
        for (position, type) in schema.types.enumerated() {
            let full = states[position].data(of: states[position].current, ordinalCount: states[position].ordinalCount)
            snapshot.append((type.name, .full(full)))
            if isFirst { continue }
            let current = states[position].current
            if let old = setAside[type.name] {
                delta.append((type.name, .full(full)))
                reverse.append((type.name, .full(old.data(of: old.committed, ordinalCount: old.committedOrdinalCount))))
                changes[type.name] = TypeChangeSummary(added: current.count, removed: old.committed.count,
                                                       recordCount: current.count)
            } else if committedSchema[type.name] == nil {
                delta.append((type.name, .full(full)))
                reverse.append((type.name, .removed))
                changes[type.name] = TypeChangeSummary(added: current.count, removed: 0, recordCount: current.count)
            } else {
                let added = states[position].added
                let removed = states[position].removed
                changes[type.name] = TypeChangeSummary(added: added.count, removed: removed.count, recordCount: current.count)
                guard !added.isEmpty || !removed.isEmpty else { continue }
                delta.append((type.name, .changed(TypeDataDelta(
                    ordinalCount: states[position].ordinalCount, removed: removed, added: added,
                    addedRecords: states[position].packed(added)))))
                reverse.append((type.name, .changed(TypeDataDelta(
                    ordinalCount: states[position].committedOrdinalCount, removed: added, added: removed,
                    addedRecords: states[position].packed(removed)))))
            }
        }
        for type in committedSchema.types where schema[type.name] == nil {
            let old = setAside[type.name]!
            delta.append((type.name, .removed))
            reverse.append((type.name, .full(old.data(of: old.committed, ordinalCount: old.committedOrdinalCount))))
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
        for position in states.indices { states[position].commit() }
        committedSchema = schema
        setAside = [:]
    }

    mutating func rollback() {
        pendingStateID = nil
        if setAside.isEmpty && schema == committedSchema {
            for position in states.indices { states[position].rollback() }
            return
        }
        var byName: [String: TypeWriteState] = [:]
        for (position, type) in schema.types.enumerated() {
            if setAside[type.name] == nil && committedSchema[type.name] != nil { states[position].rollback() }
            byName[type.name] = states[position]
        }
        states = []
        states = committedSchema.types.map { setAside[$0.name] ?? byName[$0.name]! }
        byName = [:]
        setAside = [:]
        schema = committedSchema
        indexTypes()
    }

    /// After records were removed one by one, every reference must still point at a record of the cycle.
    private func checkReferences() throws(WriteError) {
        for (position, type) in schema.types.enumerated() {
            var failure: WriteError?
            states[position].current.forEach { ordinal in
                guard failure == nil, states[position].records.contains(ordinal) else { return }
                states[position].records.withContent(ordinal) { content in
                    RecordFields.forEachReference(content, schema: type) { field, target, referenced in
                        if failure == nil, !isCurrent(referenced, in: target) {
                            failure = .invalidReference(type: type.name, field: field, ordinal: referenced, target: target)
                        }
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
            let paths: [[RecordFields.KeyStep]]
            do {
                paths = try key.map { (path) throws(SchemaError) in
                    try schema.resolve(path: path, from: object.name).map {
                        RecordFields.KeyStep(position: positions[$0.type.name]!, object: $0.type, fieldIndex: $0.fieldIndex)
                    }
                }
            } catch {
                throw .schema(error)
            }
            let position = positions[object.name]!
            // First the hash of every key, in ordinal order; then one tight pass over a table of
            // (hash, owner) pairs, whose cache misses overlap; keys are compared in full only for
            // the pairs whose 64-bit hashes match.
            var ordinals: [Int] = []
            var hashes: [UInt64] = []
            ordinals.reserveCapacity(states[position].current.count)
            hashes.reserveCapacity(states[position].current.count)
            var keyBytes: [UInt8] = []
            states[position].current.forEach { ordinal in
                keyBytes.removeAll(keepingCapacity: true)
                for path in paths {
                    RecordFields.appendKeyBytes(path: path, from: ordinal, states: states, to: &keyBytes)
                }
                ordinals.append(ordinal)
                hashes.append(keyBytes.withUnsafeBytes { RecordStore.hash($0) })
            }
            var bits = 4
            while (1 << bits) < ordinals.count * 2 { bits += 1 }
            let mask = (1 << bits) - 1
            // Per slot: the hash and the index (plus one; 0 is empty) in `ordinals` of its key.
            var table = HugePages.array(repeating: KeySlot(hash: 0, index: 0), count: 1 << bits)
            var matches: [(later: Int, earlier: Int)] = []
            table.withUnsafeMutableBufferPointer { table in
                hashes.withUnsafeBufferPointer { hashes in
                    for index in hashes.indices {
                        let hash = hashes[index]
                        var slot = Int(truncatingIfNeeded: hash &>> UInt64(64 - bits))
                        while table[slot].index != 0 {
                            if table[slot].hash == hash { matches.append((index, table[slot].index - 1)) }
                            slot = (slot &+ 1) & mask
                        }
                        table[slot] = KeySlot(hash: hash, index: index + 1)
                    }
                }
            }
            var otherBytes: [UInt8] = []
            var failure: WriteError?
            for (later, earlier) in matches {
                keyBytes.removeAll(keepingCapacity: true)
                otherBytes.removeAll(keepingCapacity: true)
                for path in paths {
                    RecordFields.appendKeyBytes(path: path, from: ordinals[later], states: states, to: &keyBytes)
                    RecordFields.appendKeyBytes(path: path, from: ordinals[earlier], states: states, to: &otherBytes)
                }
                if keyBytes == otherBytes {
                    failure = .duplicatePrimaryKey(type: object.name, key: RecordFields.describeKey(paths: paths, ordinal: ordinals[later], states: states))
                    break
                }
            }
            if let failure { throw failure }
        }
    }
}

/// A slot of the primary-key check's table.
private struct KeySlot: BitwiseCopyable {
    var hash: UInt64
    var index: Int
}
