/// What the primary-key and hash indexes share: the key fields resolved against a state, the
/// table, and how both follow a delta.
///
/// A class, so that an index is one reference: services copy an index out of their consumer's state
/// on every request, and each reference an index held was one more atomic count, written by every
/// thread that copied it, on a cache line all of them share.
@usableFromInline
final class IndexCore: Sendable {
    let state: ReadState
    @usableFromInline let key: KeyFields
    @usableFromInline let table: IndexTable

    /// Builds the index of `type` on `paths`. `expectedKeys` sizes the table at first (nil: one
    /// key a record, right for a primary key); the table doubles whenever more keys come, so a
    /// hash index on a field of few values holds slots for those values, not for every record.
    /// `minimumOrdinalBits` is for tests (see `IndexTable`).
    init(state: ReadState, type: String, paths: [String], expectedKeys: Int? = nil, minimumOrdinalBits: Int = 1) throws(IndexError) {
        self.state = state
        let key = try KeyFields(state: state, type: type, paths: paths)
        self.key = key
        let reader = state.objectType(type)!
        var table = IndexTable(capacityFor: min(expectedKeys ?? reader.recordCount, reader.recordCount), ordinalCount: reader.ordinalCount,
                           minimumOrdinalBits: minimumOrdinalBits)
        // Keys go in by groups: the home slots of a group are read first, so that their cache
        // misses (the table is megabytes, the keys land at random) overlap instead of following
        // one another; the inserts then find the slots in cache. A build waits mostly on them.
        let groupSize = 16
        var group = [(ordinal: Int, hash: UInt64)](repeating: (0, 0), count: groupSize)
        var grouped = 0
        var warmed: UInt32 = 0
        func insertGroup() {
            if !table.hasRoom(for: grouped) { table.makeRoom(for: grouped, hash: key.hash) }
            for index in 0..<grouped { warmed |= table.homeSlot(group[index].hash) }
            for index in 0..<grouped { table.insert(group[index].ordinal, hash: group[index].hash, key: key) }
            grouped = 0
        }
        for ordinal in reader.ordinals {
            group[grouped] = (ordinal, key.hash(ordinal))
            grouped += 1
            if grouped == groupSize { insertGroup() }
        }
        insertGroup()
        table.warmedSlots = warmed
        table._checkInvariants(hash: key.hash, sameKey: key.equalKeys, isRecord: reader.isPopulated)
        self.table = table
    }

    /// The index of `type` on `paths` with a table built before (read from a state image).
    convenience init(state: ReadState, type: String, paths: [String], table: IndexTable) throws(IndexError) {
        self.init(state: state, key: try KeyFields(state: state, type: type, paths: paths), table: table)
    }

    private init(state: ReadState, key: KeyFields, table: IndexTable) {
        self.state = state
        self.key = key
        self.table = table
    }

    /// The index of `newState`. When `newState` was made by a delta from this index's state, the
    /// table is copied and updated from the removed and added ordinals only; otherwise it is built.
    func updated(to newState: ReadState) throws(IndexError) -> IndexCore {
        if newState === state { return self }
        let type = key.type
        guard let root = newState.types[type] else { throw .unknownType(type) }
        let newKey = try KeyFields(state: newState, type: type, paths: key.paths)
        // Incremental only from the state indexed, and only while every other type on the key paths
        // kept its ordinals (changed by a delta or untouched, not replaced whole).
        let pathTypesKeptOrdinals = key.pathTypes.allSatisfy { name in
            guard let old = state.types[name], let new = newState.types[name] else { return false }
            return old === new || new.changes != nil
        }
        // A rebuild starts from as many keys as this index has.
        let expectedKeys = Swift.max(table.keyCount, 1)
        // A table read from an image was checked to be safe to probe, not to match the keys of
        // its records (`IndexTable.isVerified`): it is rebuilt, not updated, at its first delta.
        guard newState.originStateID == state.stateID, pathTypesKeptOrdinals, table.isVerified || root === state.types[type] else {
            return try IndexCore(state: newState, type: type, paths: key.paths, expectedKeys: expectedKeys,
                                 minimumOrdinalBits: table.minimumOrdinalBits)
        }
        if root === state.types[type] {
            return IndexCore(state: newState, key: newKey, table: table)
        }
        guard let changes = root.changes else {
            return try IndexCore(state: newState, type: type, paths: key.paths, expectedKeys: expectedKeys,
                                 minimumOrdinalBits: table.minimumOrdinalBits)
        }
        var table = self.table
        table.makeUnique()
        let oldKey = key
        // Room for every added record as a new key, placed by the keys of the state indexed.
        table.makeRoom(for: changes.added.count, hash: oldKey.hash)
        table.growNext(to: root.data.ordinalCount)
        for ordinal in changes.removed {
            table.remove(ordinal, hash: oldKey.hash(ordinal), key: oldKey)
        }
        for ordinal in changes.added {
            table.insert(ordinal, hash: newKey.hash(ordinal), key: newKey)
        }
        let records = root.data
        table._checkInvariants(hash: newKey.hash, sameKey: newKey.equalKeys, isRecord: { $0 < records.ordinalCount && records.isPopulated($0) })
        return IndexCore(state: newState, key: newKey, table: table)
    }

    @inlinable
    func firstMatch<each K: IndexKeyComponent>(_ components: repeat each K) -> Int? {
        var hasher = KeyHasher()
        var count = 0
        for component in repeat each components {
            component.hash(into: &hasher)
            count &+= 1
        }
        precondition(count == key.fields.count, "the index key has \(key.fields.count) fields, \(count) given")
        return probe(hasher.finalize()) { matches($0, repeat each components) }
    }

    /// The first record along the probe run of `hash` whose slot's tag matches and that
    /// `isMatch` accepts; nil at the run's end.
    @inlinable @inline(__always)
    func probe(_ hash: UInt64, _ isMatch: (Int) -> Bool) -> Int? {
        let tag = table.tag(hash)
        let tagMask = ~table.ordinalMask
        var slot = Int(truncatingIfNeeded: hash) & table.mask
        while true {
            let entry = table.slots[slot]
            if entry == 0 { return nil }
            if entry & tagMask == tag {
                let ordinal = table.head(entry)
                if isMatch(ordinal) { return ordinal }
            }
            slot = (slot &+ 1) & table.mask
        }
    }

    /// `firstMatch` for a key of one field. Not through a parameter pack: a caller passes a pack's
    /// element indirectly and retains a `String` twice around the call, which cost a tenth of a
    /// PyPI lookup.
    @inlinable
    func firstMatch<K: IndexKeyComponent>(_ component: K) -> Int? {
        precondition(key.fields.count == 1, "the index key has \(key.fields.count) fields, 1 given")
        var hasher = KeyHasher()
        component.hash(into: &hasher)
        let field = key.fields[0]
        return probe(hasher.finalize()) { ordinal in
            guard let leaf = key.leafOrdinal(field, ordinal) else { return false }
            return component.matches(field.leaf, leaf)
        }
    }

    /// `firstMatch` for a key whose field count is known only at run time; nil when `components`
    /// does not have one value per key field.
    func firstMatch(values components: [FieldValue?]) -> Int? {
        guard components.count == key.fields.count else { return nil }
        var hasher = KeyHasher()
        for component in components { component.hash(into: &hasher) }
        return probe(hasher.finalize()) { ordinal in
            zip(key.fields, components).allSatisfy { field, component in
                guard let leaf = key.leafOrdinal(field, ordinal) else { return false }
                return component.matches(field.leaf, leaf)
            }
        }
    }

    @inlinable
    func matches<each K: IndexKeyComponent>(_ ordinal: Int, _ components: repeat each K) -> Bool {
        var index = 0
        var result = true
        for component in repeat each components {
            if result {
                let field = key.fields[index]
                if let leaf = key.leafOrdinal(field, ordinal) {
                    result = component.matches(field.leaf, leaf)
                } else {
                    result = false
                }
            }
            index &+= 1
        }
        return result
    }
}
