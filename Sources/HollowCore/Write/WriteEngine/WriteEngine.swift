/// The state behind `WriteState`, guarded by its lock: the write state of every type, the cycle
/// under way and the committed state it started from. Checks before writing are in
/// `WriteEngine+Checks.swift`, blob writing in `WriteEngine+BlobWriting.swift` (their extensions
/// read the cycle's state below, hence internal rather than private setters).
struct WriteEngine: Sendable {
    /// The schema of the cycle under way.
    private(set) var schema: Schema
    /// The schema of the last committed state.
    private(set) var committedSchema: Schema
    /// One per type of `schema`, in its order.
    private(set) var states: [TypeWriteState] = []
    /// The position in `states` of each type, by name.
    private(set) var positions: [String: Int] = [:]
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
    private(set) var setAside: [String: TypeWriteState] = [:]
    private(set) var stateID: UInt64 = 0
    /// The id `writeBlobs()` minted, made current by `commit()`.
    var pendingStateID: UInt64?
    /// Whether records were removed one by one, or kept across a schema change, either of which may
    /// leave references dangling.
    private(set) var referencesNeedChecking = false
    /// Whether string and bytes pools are coded, and whether by dictionaries (chosen per type at
    /// its first state written).
    let stringCompression: StringCompression
    let stringDictionaries: StringDictionaries
    /// The shards consumers hold large types in (see `TypeWriteState.arrangeFree`).
    let shardBits: Int

    init(schema: Schema, stringCompression: StringCompression = .default, stringDictionaries: StringDictionaries = .default,
         shardBits: Int = TypeShards.defaultShardBits) {
        self.stringCompression = stringCompression
        self.stringDictionaries = stringDictionaries
        self.shardBits = shardBits
        self.schema = schema
        committedSchema = schema
        states = schema.types.map { TypeWriteState(schema: $0, shardBits: shardBits) }
        indexTypes()
    }

    /// The engine of a producer that continues from `state`: its records keep their ordinals and
    /// the next cycle's delta starts from `state.stateID`.
    init(restoring state: ReadState, stringCompression: StringCompression = .default, stringDictionaries: StringDictionaries = .default) {
        self.stringCompression = stringCompression
        self.stringDictionaries = stringDictionaries
        shardBits = TypeShards.defaultShardBits
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
            newStates.append(TypeWriteState(schema: type, shardBits: shardBits))
        }
        for type in committedSchema.types where newSchema[type.name] == nil {
            setAside[type.name] = byName.removeValue(forKey: type.name)
        }
        states = newStates
        schema = newSchema
        indexTypes()
    }

    /// The position of the object type `schema` describes, and its declaration; refused when the
    /// schema has no such type or declares it otherwise than `what` was built for.
    private func position(ofObject schema: ObjectSchema, builtFor what: String) throws(WriteError) -> (Int, ObjectSchema) {
        guard let position = position(of: schema.name) else { throw .unknownType(schema.name) }
        guard case .object(let declared) = states[position].schema, declared == schema else {
            throw .wrongKind(type: schema.name, expected: "the object type \(what) was built for")
        }
        return (position, declared)
    }

    /// Adds an object record encoded as `content` (hash `hash`, see `RecordStore.hash`).
    mutating func add(_ record: ObjectRecord, content: UnsafeRawBufferPointer, hash: UInt64) throws(WriteError) -> Int {
        let name = record.schema.name
        let (position, declared) = try position(ofObject: record.schema, builtFor: "the record")
        let targets = referencePositions[position]
        for index in targets.indices where targets[index] >= 0 {
            if case .reference(let ordinal)? = record.values[index], !states[targets[index]].isCurrent(ordinal) {
                throw .invalidReference(type: name, field: declared.fields[index].name, ordinal: ordinal,
                                        target: states[targets[index]].schema.name)
            }
        }
        return try states[position].add(content, hash: hash)
    }

    /// The records of `batch` in order (see `WriteState.add(_:ordinals:)`), `hashes` theirs.
    mutating func add(_ batch: ObjectRecordBatch, hashes: [UInt64], ordinals: inout [Int]) throws(WriteError) {
        let name = batch.schema.name
        let (position, declared) = try position(ofObject: batch.schema, builtFor: "the batch")
        let targets = referencePositions[position]
        let references = batch.references
        var reference = 0
        for index in 0..<batch.count {
            while reference < references.count && references[reference].record == index {
                let field = references[reference].field, ordinal = references[reference].ordinal
                if targets[field] >= 0, !states[targets[field]].isCurrent(ordinal) {
                    throw .invalidReference(type: name, field: declared.fields[field].name, ordinal: ordinal, target: states[targets[field]].schema.name)
                }
                reference += 1
            }
            ordinals.append(try batch.withContent(index) { (content) throws(WriteError) in
                try states[position].addPrefetchingAhead(content, hashes: hashes, index: index)
            })
        }
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

    /// Chooses the coding of the string and bytes pools of each type that has none yet (its
    /// first state), from the records of the cycle under way, and brings the dictionaries of
    /// every type to the values the cycle's records hold.
    mutating func chooseCodings() throws(WriteError) {
        for position in states.indices {
            states[position].pendingData = nil
            states[position].chooseDictionaries(stringDictionaries)
            states[position].chooseSymbols(stringCompression)
            try states[position].refreshDictionaries(stringCompression)
        }
    }

    /// The storage of type `position` in the cycle under way, kept until commit (see
    /// `TypeWriteState.nextData`).
    mutating func nextData(at position: Int, continuing: Bool, added: [Int], removed: [Int],
                           addedRecords: TypeData?) -> TypeData {
        states[position].nextData(continuing: continuing, added: added, removed: removed, addedRecords: addedRecords)
    }

    mutating func keepCommitted() {
        for (position, type) in schema.types.enumerated() where setAside[type.name] == nil { states[position].keepCommitted() }
        // Kept records may refer to a type this cycle's schema replaced (its ordinals start over):
        // check every reference before writing.
        if !setAside.isEmpty { referencesNeedChecking = true }
    }

    mutating func reserveCapacity(records: Int, bytes: Int, for name: String) throws(WriteError) {
        guard let position = position(of: name) else { throw .unknownType(name) }
        states[position].reserveCapacity(records: records, bytes: bytes)
    }

    func keyBytes(ofRecord ordinal: Int, type name: String, fields: [Int]) -> [UInt8]? {
        guard let position = position(of: name), case .object(let object) = schema.types[position],
              fields.allSatisfy({ object.fields.indices.contains($0) }), states[position].records.contains(ordinal) else { return nil }
        let layout = RecordFields.layout(of: object)
        var key: [UInt8] = []
        states[position].records.withContent(ordinal) { content in
            layout.withUnsafeBufferPointer { layout in
                for field in fields { key.append(contentsOf: RecordFields.encoding(of: field, in: content, layout: layout)) }
            }
        }
        return key
    }

    mutating func remove(_ ordinal: Int, from name: String) throws(WriteError) {
        guard let position = position(of: name) else { throw .unknownType(name) }
        states[position].remove(ordinal)
        referencesNeedChecking = true
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
}
