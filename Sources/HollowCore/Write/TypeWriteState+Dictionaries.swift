/// The dictionaries of a type's string and bytes fields on the writer's side (see
/// `TypeData.Dictionary`). Each is the write state of a one-field type whose records are the
/// field's distinct values, each entry counting the records that hold it: every cycle, the values
/// of the cycle's added records are added and those of its removed records let go, so that a value
/// keeps its entry while any record holds it, a value no record holds leaves the next state, and
/// its entry is reused from the cycle after, as any type's ordinals are.
extension TypeWriteState {
    /// The schema of every dictionary (its plan is `TypePlan.dictionary`).
    static let dictionarySchema = TypeSchema.object(ObjectSchema("dictionary", fields: [FieldSchema("value", .bytes)]))

    /// Chooses, once, which string and bytes pools are coded by a dictionary, from every value of
    /// the records of the cycle under way: those whose dictionary and entries would take at most
    /// the policy's share of the values stored one per record.
    mutating func chooseDictionaries(_ policy: StringDictionaries) {
        guard dictionaries == nil else { return }
        guard policy != .never, !plan.isCollection, plan.pools.contains(where: { $0.content == .bytes }) else {
            dictionaries = Array(repeating: nil, count: plan.pools.count)
            return
        }
        let records = current.count
        let counts = countValues(parts: Swift.max(1, Swift.min(ParallelParts.processorCount, records / Self.minimumOrdinalsPerBuildPart)))
        let values = counts.values, totalBytes = counts.totalBytes, distinctCount = counts.distinct, distinctBytes = counts.distinctBytes
        dictionaries = plan.pools.indices.map { pool in
            guard plan.pools[pool].content == .bytes, values[pool] > 0 else { return nil }
            if case .automatic(let minimumBytes, let maximumRatio) = policy {
                // Bytes as stored one per record (an end offset each), against the distinct values
                // (an end offset and a populated bit each) and an entry per record.
                let plain = Double(totalBytes[pool]) + Double(records * BitWidth.needed(for: UInt64(totalBytes[pool]))) / 8
                let entries = distinctCount[pool]
                let coded = Double(distinctBytes[pool]) + Double(entries * (BitWidth.needed(for: UInt64(distinctBytes[pool])) + 1)) / 8
                    + Double(records * BitWidth.needed(for: UInt64(entries))) / 8
                guard plain >= Double(minimumBytes), coded <= maximumRatio * plain else { return nil }
            }
            return TypeWriteState(schema: TypeWriteState.dictionarySchema)
        }
    }

    /// Per pool: the values of the cycle's records, their bytes, and the distinct ones (by hash)
    /// and their bytes, exact up to `DistinctHashes.capacity` distinct values a part and
    /// estimated past it. Counted in `parts` split by hash, not by record: each part reads every
    /// value and counts the distinct ones whose hash falls to it, so that, exact, the parts' counts
    /// add up to one count's, whatever their number.
    func countValues(parts partCount: Int) -> (values: [Int], totalBytes: [Int], distinct: [Int], distinctBytes: [Int]) {
        let state = self
        var counts = ParallelParts.map(partCount) { part in
            var counted = ValueCount(pools: state.plan.pools.count)
            let fields = state.plan.fields.map { $0 }
            fields.withUnsafeBufferPointer { fields in state.forEachCurrentRecord { content in
                TypeWriteState.forEachPoolValue(content, fields: fields) { pool, value, encoded in
                    if part == 0 {
                        counted.values[pool] += 1
                        counted.totalBytes[pool] += value.count
                    }
                    let hash = RecordStore.hash(encoded)
                    // Split on low bits, which the table's places (from bit 32 up) never use.
                    guard partCount == 1 || Int(truncatingIfNeeded: DistinctHashes.key(hash) & 0xFFFF) % partCount == part else { return }
                    counted.distinct[pool].insert(hash, bytes: value.count)
                }
            } }
            return counted
        }
        let pools = plan.pools.indices
        let result = (values: counts[0].values, totalBytes: counts[0].totalBytes,
                      distinct: pools.map { pool in counts.reduce(0) { $0 + $1.distinct[pool].count } },
                      distinctBytes: pools.map { pool in counts.reduce(0) { $0 + $1.distinct[pool].bytes } })
        if partCount > 1 {
            counts = []
            FreedMemory.giveBack()
        }
        return result
    }

    /// Brings every dictionary to the values of the cycle's records: the values held now, each
    /// with the entry it had when it was held before. From the committed state's count of the
    /// records that hold each entry, only the cycle's removed and added records are read; at a
    /// dictionary's first state, or after a restore, every record is. Chooses a dictionary's
    /// symbol table at its first state, by `policy`.
    mutating func refreshDictionaries(_ policy: StringCompression) throws(WriteError) {
        guard var dictionaries, dictionaries.contains(where: { $0 != nil }) else { return }
        self.dictionaries = nil  // not copied on write while they change
        let incremental = committedHolders != nil
        var holders = committedHolders ?? dictionaries.map { _ in [] }
        for index in dictionaries.indices where dictionaries[index] != nil {
            dictionaries[index]!.beginCycle()
            if incremental { dictionaries[index]!.keepCommitted() }
        }
        // The counting in a value of its own, read from a local copy of the fields: a nested
        // function capturing the dictionaries (and `self`) had each access checked at run time.
        var counting = DictionaryCounting(dictionaries: dictionaries, holders: holders)
        dictionaries = []
        holders = []
        let fields = plan.fields
        fields.withUnsafeBufferPointer { fields in
            if incremental {
                for ordinal in removed { records.withContent(ordinal) { counting.count($0, holding: false, fields: fields) } }
                for ordinal in added { records.withContent(ordinal) { counting.count($0, holding: true, fields: fields) } }
            } else {
                forEachCurrentRecord { counting.count($0, holding: true, fields: fields) }
            }
        }
        swap(&dictionaries, &counting.dictionaries)
        swap(&holders, &counting.holders)
        let failure = counting.failure
        for index in dictionaries.indices where dictionaries[index] != nil { dictionaries[index]!.chooseSymbols(policy) }
        self.dictionaries = dictionaries
        pendingHolders = holders
        if let failure { throw failure }
        #if HOLLOW_INTERNAL_CHECKS
        if incremental, let problem = _holdersDiffer(from: holders) {
            preconditionFailure("\(schema.name): dictionaries followed by changes differ from the records: \(problem)")
        }
        #endif
    }

    /// How `holders` and the dictionaries' records of the cycle differ from a count of every
    /// current record (nil when they agree): the check of internal-checks builds.
    func _holdersDiffer(from holders: [[Int32]]) -> String? {
        guard let dictionaries else { return nil }
        var counted = dictionaries.map { dictionary in [Int32](repeating: 0, count: dictionary?.ordinalCount ?? 0) }
        forEachCurrentRecord { content in
            forEachPoolValue(content) { pool, _, encoded in
                guard let dictionary = dictionaries[pool], let entry = dictionary.records.find(encoded, hash: RecordStore.hash(encoded)) else { return }
                counted[pool][entry] += 1
            }
        }
        for (pool, dictionary) in dictionaries.enumerated() {
            guard let dictionary else { continue }
            for entry in 0..<dictionary.ordinalCount {
                let held = entry < holders[pool].count ? holders[pool][entry] : 0
                guard held == counted[pool][entry] else { return "pool \(pool), entry \(entry): \(held) holders counted by changes, \(counted[pool][entry]) by records" }
                guard dictionary.isCurrent(entry) == (held > 0) else { return "pool \(pool), entry \(entry) is \(held > 0 ? "held but not in" : "in but not held by") the cycle" }
            }
        }
        return nil
    }

    /// Per pool, what a record's column holds for a value (encoded as a dictionary's record is):
    /// its entry in the dictionary plus one. For the builder, after `refreshDictionaries`, which put
    /// every value of the cycle's and the committed records there. Empty when no pool is coded by
    /// a dictionary.
    var entryLookups: [TypeDataBuilder.DictionaryLookup?] { Self.entryLookups(of: dictionaries) }

    static func entryLookups(of dictionaries: [TypeWriteState?]?) -> [TypeDataBuilder.DictionaryLookup?] {
        guard let dictionaries, dictionaries.contains(where: { $0 != nil }) else { return [] }
        return dictionaries.map { dictionary in
            dictionary.map { dictionary in
                { value in
                    guard let entry = dictionary.records.find(value, hash: RecordStore.hash(value)) else {
                        preconditionFailure("a value missing from its dictionary")
                    }
                    return entry + 1
                }
            }
        }
    }

    /// Per pool, the storage of its dictionary for the cycle's state (nil for a pool without one),
    /// kept until commit; empty when no pool has one.
    mutating func nextDictionaryData(continuing: Bool) -> [TypeData?] {
        guard var dictionaries, dictionaries.contains(where: { $0 != nil }) else { return [] }
        self.dictionaries = nil
        let data = dictionaries.indices.map { index -> TypeData? in
            guard dictionaries[index] != nil else { return nil }
            // Read first: a copy of the dictionary's write state kept across the call would share
            // its arena, which `nextData` would then copy whole to give it back.
            let (added, removed) = (dictionaries[index]!.added, dictionaries[index]!.removed)
            return dictionaries[index]!.nextData(continuing: continuing, added: added, removed: removed, addedRecords: nil)
        }
        self.dictionaries = dictionaries
        return data
    }

    /// Per pool, how the cycle changes its dictionary (`reverse`: back from the cycle's state to
    /// the committed one), as a delta's records carry it; empty when no pool has one.
    func dictionaryChanges(reverse: Bool) -> [TypeDataDelta?] {
        guard let dictionaries, dictionaries.contains(where: { $0 != nil }) else { return [] }
        return dictionaries.map { dictionary in
            dictionary.map { dictionary in
                let (added, removed) = (dictionary.added, dictionary.removed)
                return reverse
                    ? TypeDataDelta(ordinalCount: dictionary.committedOrdinalCount, removed: added, added: removed,
                                    addedRecords: dictionary.packed(removed))
                    : TypeDataDelta(ordinalCount: dictionary.ordinalCount, removed: removed, added: added,
                                    addedRecords: dictionary.packed(added))
            }
        }
    }

    /// The committed state's storage built again from its records (when none was kept).
    func committedDataRebuilt() -> TypeData {
        let dictionaries = (self.dictionaries ?? []).map { dictionary in
            dictionary.map { $0.committedData ?? $0.data(of: $0.committed, ordinalCount: $0.committedOrdinalCount) }
        }
        return data(of: committed, ordinalCount: committedOrdinalCount, dictionaries: dictionaries)
    }

    mutating func commitDictionaries() {
        guard var dictionaries else { return }
        self.dictionaries = nil
        for index in dictionaries.indices where dictionaries[index] != nil { dictionaries[index]!.commit() }
        self.dictionaries = dictionaries
        if let pendingHolders { committedHolders = pendingHolders }
        pendingHolders = nil
    }

    mutating func rollbackDictionaries() {
        pendingHolders = nil
        guard var dictionaries else { return }
        self.dictionaries = nil
        for index in dictionaries.indices where dictionaries[index] != nil { dictionaries[index]!.rollback() }
        self.dictionaries = dictionaries
    }

    /// Calls `body` with the encoding of every record of the cycle under way, in place.
    func forEachCurrentRecord(_ body: (UnsafeRawBufferPointer) -> Void) {
        records.withContents { contents in
            for ordinal in 0..<ordinalCount where current.contains(ordinal) { contents.withContent(ordinal, body) }
        }
    }
}

/// The holders of each dictionary entry, counted as records come and go (`refreshDictionaries`).
private struct DictionaryCounting {
    var dictionaries: [TypeWriteState?]
    var holders: [[Int32]]
    var failure: WriteError?
    var failed = false

    init(dictionaries: [TypeWriteState?], holders: [[Int32]]) {
        self.dictionaries = dictionaries
        self.holders = holders
    }

    /// Counts the dictionary values of one record, which the state now holds (`holding`) or no
    /// longer does.
    mutating func count(_ content: UnsafeRawBufferPointer, holding: Bool, fields: UnsafeBufferPointer<TypePlan.FieldSlot>) {
        TypeWriteState.forEachPoolValue(content, fields: fields) { pool, _, encoded in
            guard !failed, dictionaries[pool] != nil else { return }
            let hash = RecordStore.hash(encoded)
            if !holding {
                // A committed record's value: in its dictionary, held at least by that record.
                guard let entry = dictionaries[pool]!.records.find(encoded, hash: hash) else {
                    preconditionFailure("a committed value missing from its dictionary")
                }
                holders[pool][entry] -= 1
                if holders[pool][entry] == 0 { dictionaries[pool]!.remove(entry) }
                return
            }
            let entry: Int
            do throws(WriteError) { entry = try dictionaries[pool]!.add(encoded, hash: hash) } catch {
                failure = error
                failed = true
                return
            }
            if entry >= holders[pool].count { holders[pool].append(contentsOf: repeatElement(0, count: entry + 1 - holders[pool].count)) }
            holders[pool][entry] += 1
        }
    }
}

/// What `chooseDictionaries` counts of a type's values, per pool.
private struct ValueCount {
    var distinct: [DistinctHashes]
    var totalBytes: [Int]
    var values: [Int]

    init(pools: Int) {
        distinct = Array(repeating: DistinctHashes(), count: pools)
        totalBytes = Array(repeating: 0, count: pools)
        values = Array(repeating: 0, count: pools)
    }
}

/// Counts distinct 64-bit hashes (already mixed, as `RecordStore.hash` gives them) in an
/// open-addressing table: the writer's choice of dictionaries hashes every value of a type's first
/// state, and a `Set<UInt64>` would hash each hash again and grow by rehashing through `Hashable`.
///
/// Exact up to `capacity` distinct hashes; past it, an estimate by adaptive sampling: only the
/// hashes whose top `level` bits are zero are kept, the level rising by one (and the kept hashes
/// halving) each time the table is full, and the count and bytes are the sample's times 2^level.
/// The estimate's standard error is about 1/sqrt(capacity) (0.6%), the table stays in cache, and past
/// the capacity only one value in 2^level is looked up: counting a million distinct names took
/// a quarter of the choice of codings in random probes of a table of 16 MB.
struct DistinctHashes {
    /// 0 marks an empty slot; a hash of 0 is stored as 1 (two values may then count as one,
    /// which an estimate can bear).
    private var slots = [UInt64](repeating: 0, count: 1024)
    /// The bytes of the value whose hash is in the slot.
    private var sizes = [Int](repeating: 0, count: 1024)
    private var kept = 0
    private var keptBytes = 0
    /// Hashes are kept when their top `level` bits are zero.
    private(set) var level = 0

    /// Distinct hashes counted exactly.
    static let capacity = 1 << 15

    /// What is stored for `hash`: the hash, or 1 for 0.
    static func key(_ hash: UInt64) -> UInt64 { hash == 0 ? 1 : hash }

    /// The distinct hashes, estimated past `capacity`.
    var count: Int { kept << level }
    /// The bytes of the distinct values, estimated alike.
    var bytes: Int { keptBytes << level }

    /// Counts a value of `byteCount` bytes whose hash is `hash`.
    mutating func insert(_ hash: UInt64, bytes byteCount: Int) {
        let key = Self.key(hash)
        guard level == 0 || key >> (64 - level) == 0 else { return }
        let mask = slots.count &- 1
        var index = Int(truncatingIfNeeded: key >> 32) & mask
        while slots[index] != 0 {
            if slots[index] == key { return }
            index = (index &+ 1) & mask
        }
        slots[index] = key
        sizes[index] = byteCount
        kept &+= 1
        keptBytes &+= byteCount
        if kept > Self.capacity {
            level += 1
            rebuild(count: slots.count)
        } else if kept &* 2 > slots.count {
            rebuild(count: slots.count &* 2)
        }
    }

    /// The table again at `count` slots, with the hashes the level keeps.
    private mutating func rebuild(count: Int) {
        let (oldSlots, oldSizes) = (slots, sizes)
        slots = [UInt64](repeating: 0, count: count)
        sizes = [Int](repeating: 0, count: count)
        kept = 0
        keptBytes = 0
        let mask = count &- 1
        for (key, size) in zip(oldSlots, oldSizes) where key != 0 && (level == 0 || key >> (64 - level) == 0) {
            var index = Int(truncatingIfNeeded: key >> 32) & mask
            while slots[index] != 0 { index = (index &+ 1) & mask }
            slots[index] = key
            sizes[index] = size
            kept &+= 1
            keptBytes &+= size
        }
    }
}
