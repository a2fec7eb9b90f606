/// The records of one type across cycles: each distinct record (by canonical encoding) holds one
/// ordinal for as long as it stays in the dataset; ordinals of removed records are reused from the
/// cycle after their removal (see `arrangeFree` for which first).
struct TypeWriteState: Sendable {
    let schema: TypeSchema
    let plan: TypePlan
    /// The encoding of every record by ordinal, and the dedup table from encoding to ordinal.
    private(set) var records = RecordStore()
    /// Records of the last committed state.
    private(set) var committed = OrdinalSet()
    /// Records added in the cycle under way.
    private(set) var current = OrdinalSet()
    /// Free ordinals, in reverse order of reuse; only the last `reusable` are reused this cycle.
    private var free: [Int] = []
    private var reusable = 0
    /// The ordinal count written for the last committed state.
    private(set) var committedOrdinalCount = 0
    /// Per pool of the plan, the table its values are coded with (nil: as they are); nil until
    /// chosen, at the first state written (`chooseSymbols`), then kept along the chain.
    var symbols: [SymbolTable?]?
    /// Per pool of the plan, the write state of its dictionary's entries (nil: each record stores
    /// its value); nil until chosen, at the first state written (`chooseDictionaries`), then kept.
    var dictionaries: [TypeWriteState?]?
    /// Per pool with a dictionary, how many records of the last committed state hold each entry
    /// (nil until a cycle counted them all: a dictionary's refresh then reads only the cycle's
    /// changes), and the counts of the cycle under way until commit.
    var committedHolders: [[Int32]]?
    var pendingHolders: [[Int32]]?
    /// The storage written for the last committed state, from which the next state's is made
    /// by applying the cycle's changes (see `nextData`), and the one written for the cycle under
    /// way until it is committed.
    private(set) var committedData: TypeData?
    var pendingData: TypeData?

    /// The committed storage as the records are read from it (nil without one).
    private var committedReadState: TypeReadState? {
        committedData.map { TypeReadState(schema: schema, plan: plan, data: $0, changes: nil) }
    }

    /// The ordinal count a state of this type declares: every ordinal ever handed out. It never
    /// shrinks, so a delta grows a consumer's storage only by the records it adds, and a reverse
    /// delta only shrinks it: no blob has to ask for room for empty ordinals (which a reader bounds).
    var ordinalCount: Int { records.ordinalCount }

    /// The shards consumers hold a large type in, as bits of ordinals (see `arrangeFree`).
    private(set) var shardBits = TypeShards.defaultShardBits

    /// `hashMask` narrows the hashes of the dedup table, so that tests can force collisions.
    init(schema: TypeSchema, hashMask: UInt64 = .max, shardBits: Int = TypeShards.defaultShardBits) {
        self.schema = schema
        plan = TypePlan(schema)
        records.hashMask = hashMask
        self.shardBits = shardBits
    }

    /// The committed records of a state that was read back: each record keeps its ordinal, so
    /// that the next delta continues from that state.
    init(restoring state: TypeReadState) {
        self.init(schema: state.schema)
        // A consumer's state holds a large type in shards (a producer loads its own whole).
        var state = state
        if state.data.shards.count > 1 {
            do {
                state = TypeReadState(schema: state.schema, plan: state.plan,
                                      data: try state.data.merged(plan: state.plan, type: state.schema.name), changes: nil)
            } catch {
                preconditionFailure("\(state.schema.name): a state's own storage cannot be merged: \(error)")
            }
        }
        let data = state.data.whole
        // The records stay in the storage read back: none is encoded again into the arena.
        records.adopt(state)
        for ordinal in (0..<data.ordinalCount).reversed() {
            if data.isPopulated(ordinal) { committed.insert(ordinal) } else { free.append(ordinal) }
        }
        current = committed
        committedOrdinalCount = data.ordinalCount
        symbols = data.pools.map(\.symbols)
        dictionaries = data.pools.map { pool in
            pool.dictionary.map { TypeWriteState(restoring: TypeReadState(schema: TypeWriteState.dictionarySchema, plan: .dictionary, data: $0, changes: nil)) }
        }
        committedData = data
        arrangeFree()
    }

    /// Starts a cycle: forgets the records removed by the last committed cycle and frees their ordinals.
    mutating func beginCycle() {
        for ordinal in 0..<ordinalCount where records.contains(ordinal) && !committed.contains(ordinal) {
            forget(ordinal)
        }
        arrangeFree()
        current = OrdinalSet()
    }

    /// Orders the free ordinals for this cycle's new records. A consumer holds a large type in
    /// shards of `shardBits` bits of ordinals (`TypeShards.defaultShardBits`) and builds again each shard a delta
    /// adds records to, while one the delta only removes records from keeps its storage: so new
    /// records fill the shards with the most room first, and a shard with less room than a
    /// sixteenth of its ordinals is left alone (new records take new ordinals at the end instead)
    /// until more of its records go. A delta then touches a few shards, not all; a consumer holds
    /// up to that sixteenth of a shard's ordinals empty. A type of one shard reuses every free
    /// ordinal, lowest first. Only the free ordinals decide the order, so a producer that restores
    /// a state carries on as the one that wrote it would.
    private mutating func arrangeFree() {
        let bits = shardBits
        guard ordinalCount > 1 << bits else {
            free.sort(by: >)
            reusable = free.count
            return
        }
        var holes: [Int: [Int]] = [:]
        for ordinal in free { holes[ordinal >> bits, default: []].append(ordinal) }
        let last = (ordinalCount - 1) >> bits
        let roomy = holes.filter { $0.key == last || $0.value.count >= (1 << bits) / 16 }
            .sorted { ($0.value.count, -$0.key) > ($1.value.count, -$1.key) }
        let roomyShards = Set(roomy.map(\.key))
        free = holes.filter { !roomyShards.contains($0.key) }.values.flatMap { $0 }.sorted(by: >)
        let parked = free.count
        for (_, ordinals) in roomy.reversed() { free += ordinals.sorted(by: >) }
        reusable = free.count - parked
    }

    private mutating func forget(_ ordinal: Int) {
        records.remove(ordinal)
        free.append(ordinal)
    }

    /// Adds the record encoded as `content` (whose `RecordStore.hash` is `hash`) to the cycle.
    mutating func add(_ content: UnsafeRawBufferPointer, hash: UInt64) throws(WriteError) -> Int {
        if let ordinal = records.find(content, hash: hash) {
            current.insert(ordinal)
            return ordinal
        }
        let ordinal: Int
        if reusable > 0, let reused = free.popLast() {
            reusable -= 1
            ordinal = reused
        } else {
            ordinal = records.ordinalCount
            guard ordinal < TypeData.maximumOrdinalCount else { throw .tooManyRecords(type: schema.name) }
        }
        records.insert(content, hash: hash, at: ordinal)
        current.insert(ordinal)
        return ordinal
    }

    /// Adds record `index` of a batch whose hashes are `hashes` (see `add(_:hash:)`), after
    /// prefetching for the records after it: the slot of the record 8 ahead, the record found
    /// there 4 ahead and its values 2 ahead, so that each look-up finds its lines in cache and a
    /// batch overlaps the misses of several records (`RecordStore.prefetch(hash:_:)`).
    mutating func addPrefetchingAhead(_ content: UnsafeRawBufferPointer, hashes: [UInt64], index: Int) throws(WriteError) -> Int {
        if index &+ 8 < hashes.count { records.prefetch(hash: hashes[index &+ 8], .slot) }
        if index &+ 4 < hashes.count { records.prefetch(hash: hashes[index &+ 4], .record) }
        if index &+ 2 < hashes.count { records.prefetch(hash: hashes[index &+ 2], .values) }
        return try add(content, hash: hashes[index])
    }

    mutating func add(_ content: [UInt8]) throws(WriteError) -> Int {
        try content.withUnsafeBytesTyped { (bytes) throws(WriteError) in try add(bytes, hash: RecordStore.hash(bytes)) }
    }

    /// Room for about `count` records taking about `bytes` (see `RecordStore.reserveCapacity`).
    mutating func reserveCapacity(records count: Int, bytes: Int) {
        records.reserveCapacity(records: count, bytes: bytes)
    }

    var added: [Int] { current.subtracting(committed) }
    var removed: [Int] { committed.subtracting(current) }
    var hasChanges: Bool { current != committed }

    mutating func commit() {
        // No storage written for this state (a write state used without writeBlobs): none to
        // start the next from, which then builds every record again.
        committedData = pendingData
        pendingData = nil
        committed = current
        commitDictionaries()
        committedOrdinalCount = ordinalCount
        // The committed records are read from their storage from now on (the state's storage is
        // usually that already, from `nextData`): the arena keeps only the records the next cycle
        // may still need as encodings (those this cycle removed).
        records.keepInStorage(committed, storage: committedReadState)
        records._checkInvariants()
    }

    /// Drops the records first added in the cycle under way; the committed state is as it was.
    mutating func rollback() {
        pendingData = nil
        // A first state dropped: its tables and dictionaries were chosen from records that are gone.
        rollbackDictionaries()
        if committedData == nil && committed.count == 0 {
            symbols = nil
            dictionaries = nil
            committedHolders = nil
        }
        // Every record not in the committed state goes: added in the dropped cycle (whether still in
        // it or removed again), or removed by the last commit (no longer needed for a reverse delta).
        for ordinal in 0..<ordinalCount where records.contains(ordinal) && !committed.contains(ordinal) {
            forget(ordinal)
        }
        // Ordinals first handed out in the dropped cycle are handed back, so that the next delta
        // does not declare them as empty room.
        if ordinalCount > committedOrdinalCount {
            records.truncate(to: committedOrdinalCount)
            free.removeAll { $0 >= committedOrdinalCount }
        }
        // Records the dropped state's storage held (see `nextData`) are read from the committed
        // state's again, where they are too.
        records.keepInStorage(committed, storage: committedReadState)
        arrangeFree()
        current = committed
        records._checkInvariants()
    }

    /// Marks every committed record as present in the cycle under way (for incremental cycles).
    mutating func keepCommitted() { current = committed }

    /// Removes a record from the cycle under way.
    mutating func remove(_ ordinal: Int) { current.remove(ordinal) }

    func content(_ ordinal: Int) -> [UInt8]? { records.content(ordinal) }

    func isCurrent(_ ordinal: Int) -> Bool { current.contains(ordinal) }

    /// The fewest ordinals worth a part of their own in `data(of:)`: below it the thread's start
    /// costs about what it saves.
    static let minimumOrdinalsPerBuildPart = 32_768

    /// Storage of the records in `set`, ordinals as they are (holes included), in `ordinalCount`
    /// slots; with `dictionaries` (per pool, the dictionary that holds every value of `set`, see
    /// `nextDictionaryData`) attached to the pools coded by one. Built in `parts` ranges of
    /// ordinals on threads of their own (nil: one a processor for a large type, see
    /// `minimumOrdinalsPerBuildPart`); the storage is the same whatever their number.
    func data(of set: OrdinalSet, ordinalCount: Int, dictionaries: [TypeData?] = [], parts: Int? = nil) -> TypeData {
        let source = BuildSource(plan: plan, symbols: symbols ?? [], dictionaryStates: self.dictionaries, contentBytes: records.contentBytes)
        return records.withContents { contents in
            source.build(set, ordinalCount: ordinalCount, dictionaries: dictionaries, parts: parts, from: contents, releasing: nil)
        }
    }

    /// `data(of:ordinalCount:dictionaries:)` for a state whose storage the records move to at
    /// once (`nextData`): the arena's pages are given back as the parts read them, where the
    /// store allows it (`RecordStore.withContentsReleasingArena`), so that a first state's peak is
    /// not its arena and its storage whole at once. `keepInStorage` must follow.
    private mutating func dataReleasingArena(of set: OrdinalSet, ordinalCount: Int, dictionaries: [TypeData?]) -> TypeData {
        // What the build reads of `self`, apart: a copy of `self` would share the arena's buffer,
        // which giving it back would then copy whole.
        let source = BuildSource(plan: plan, symbols: symbols ?? [], dictionaryStates: self.dictionaries, contentBytes: records.contentBytes)
        return records.withContentsReleasingArena(of: set) { contents, release in
            source.build(set, ordinalCount: ordinalCount, dictionaries: dictionaries, parts: nil, from: contents, releasing: release)
        }
    }

    /// What a build of a type's storage reads besides the records: the plan, the symbol tables,
    /// the dictionaries' write states (for the entries of values) and the records' bytes in all.
    private struct BuildSource {
        let plan: TypePlan
        let symbols: [SymbolTable?]
        let dictionaryStates: [TypeWriteState?]?
        let contentBytes: Int

        func build(_ set: OrdinalSet, ordinalCount: Int, dictionaries: [TypeData?], parts: Int?,
                   from contents: RecordStore.Contents, releasing release: ArenaRelease?) -> TypeData {
            precondition(set.upperBound <= ordinalCount)
            // A large type is built in ranges of ordinals, one a processor, put together after
            // (`TypeDataBuilder.build(parts:)`): the same storage, bit for bit, as one builder's.
            let partCount = parts ?? Swift.max(1, Swift.min(ParallelParts.processorCount, ordinalCount / TypeWriteState.minimumOrdinalsPerBuildPart))
            var builders = ParallelParts.map(partCount) { part in
                let range = (ordinalCount * part / partCount)..<(ordinalCount * (part + 1) / partCount)
                // Look-ups of a part's own: a closure shared by the parts would have its
                // context retained by all the cores at once, for every value.
                var builder = TypeDataBuilder(plan: plan, capacity: range.count, byteCapacity: contentBytes / partCount + 64,
                                              symbols: symbols, dictionaries: TypeWriteState.entryLookups(of: dictionaryStates))
                // Giving back: from the first whole page of this part's bytes to the last read, a
                // few megabytes at a time (the parts' ranges of the arena follow their ordinals').
                var givenBackTo: Int?
                var readTo = 0
                for ordinal in range {
                    guard set.contains(ordinal) else {
                        builder.append(nil as UnsafeRawBufferPointer?)
                        continue
                    }
                    contents.withContent(ordinal) { builder.append($0) }
                    guard let release, !contents.isStored(ordinal) else { continue }
                    let entry = contents.entries[ordinal]
                    if givenBackTo == nil { givenBackTo = release.firstPage(from: entry.start) }
                    readTo = entry.start &+ entry.count
                    if readTo &- givenBackTo! >= TypeWriteState.arenaBytesGivenBackAtOnce { givenBackTo = release.giveBack(givenBackTo!..<readTo) }
                }
                if let release, let from = givenBackTo, readTo > from { release.giveBack(from..<readTo) }
                return builder
            }
            var data = TypeDataBuilder.build(parts: &builders)
            if partCount > 1 {
                builders = []
                FreedMemory.giveBack()
            }
            for (index, dictionary) in dictionaries.enumerated() where dictionary != nil { data.pools[index].dictionary = dictionary }
            data._checkInvariants(plan: plan)
            return data
        }
    }

    /// How much of the arena a build reads before giving it back (`dataReleasingArena`).
    static let arenaBytesGivenBackAtOnce = 2 << 20

    /// The storage of the cycle's state, kept until commit. When the type continues the
    /// committed state unchanged in schema, it is the committed storage with the cycle's changes
    /// applied as a delta applies them (`added` packed in `addedRecords`), which costs what
    /// copying memory costs and codes only the added records' strings (and changes the
    /// dictionaries as the delta does); otherwise every record is built again, with the
    /// dictionaries' next storage (`nextDictionaryData`).
    mutating func nextData(continuing: Bool, added: [Int], removed: [Int], addedRecords: TypeData?) -> TypeData {
        var next: TypeData?
        if continuing, let base = committedData {
            if added.isEmpty && removed.isEmpty && base.ordinalCount == ordinalCount {
                next = base
            } else {
                var budget = Int.max
                let delta = TypeDataDelta(ordinalCount: ordinalCount, removed: removed, added: added,
                                          addedRecords: addedRecords ?? packed(added, changes: dictionaryChanges(reverse: false)))
                do {
                    next = try base.applying(delta, plan: plan, type: schema.name, growthBudget: &budget)
                } catch {
                    // The committed storage and the cycle's changes disagree: a bug. The state is
                    // built from the records instead (the arena's, and the committed storage's
                    // read record by record), as a first state is.
                    assertionFailure("the write state's own changes did not apply to its committed storage: \(error)")
                }
            }
        }
        let dictionaries = next.map { $0.pools.map(\.dictionary) } ?? nextDictionaryData(continuing: continuing)
        let data = next ?? dataReleasingArena(of: current, ordinalCount: ordinalCount, dictionaries: dictionaries)
        data._checkInvariants(plan: plan)
        #if HOLLOW_INTERNAL_CHECKS
        if next != nil {
            // What consumers get by the delta equals what the records give built afresh.
            let rebuilt = self.data(of: current, ordinalCount: ordinalCount, dictionaries: dictionaries)
            if let problem = data._recordsDiffer(from: rebuilt, schema: schema, plan: plan) {
                preconditionFailure("\(schema.name): the storage made from the last state differs from the records: \(problem)")
            }
        }
        #endif
        pendingData = data
        // The cycle's records are read from this storage from now on: the arena's room is given
        // back before the blobs are written, rather than at commit.
        records.keepInStorage(current, storage: TypeReadState(schema: schema, plan: plan, data: data, changes: nil))
        // The dictionaries go on from the ones this storage holds (the same, made by the delta).
        if var ownDictionaries = self.dictionaries {
            self.dictionaries = nil
            for index in ownDictionaries.indices where ownDictionaries[index] != nil {
                ownDictionaries[index]!.pendingData = data.pools[index].dictionary
            }
            self.dictionaries = ownDictionaries
        }
        return data
    }

    /// The records `ordinals`, packed one after another (the payload of a delta), with `changes`
    /// (per pool, how the delta changes its dictionary, see `dictionaryChanges`) attached to the
    /// pools coded by a dictionary.
    func packed(_ ordinals: [Int], changes: [TypeDataDelta?] = []) -> TypeData {
        var builder = TypeDataBuilder(plan: plan, capacity: ordinals.count, symbols: symbols ?? [], dictionaries: entryLookups)
        records.withContents { contents in
            for ordinal in ordinals { contents.withContent(ordinal) { builder.append($0) } }
        }
        var data = builder.build()
        for (index, change) in changes.enumerated() where change != nil { data.pools[index].dictionaryChange = change }
        return data
    }
}
