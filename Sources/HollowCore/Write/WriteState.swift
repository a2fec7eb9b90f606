import Synchronization

/// The producer's side of the engine: a cycle adds every record of the dataset, identical records
/// share one ordinal, and the cycle's result is written as a snapshot, a delta from the last
/// committed state and a reverse delta back to it.
///
/// Adding records from several threads at once is safe: the write state is `Sendable` and each add
/// takes a lock only around the dedup look-up (the record is encoded before). A cycle's structure
/// (`beginCycle`, `writeBlobs`, `commit`/`rollback`) is called from one place.
/// <doc:WritingAndReadingStates> walks through a cycle.
///
///     let state = WriteState(schema: schema)
///     try state.beginCycle()
///     let person = try state.add(personRecord)
///     ...
///     if let blobs = try state.writeBlobs() {
///         // store blobs.snapshot, blobs.delta, blobs.reverseDelta; announce; then
///         state.commit()
///     }
public final class WriteState: Sendable {
    private let engine: Mutex<WriteEngine>

    /// A write state for `schema`; `stringCompression` decides whether string and bytes fields
    /// are coded with a symbol table, `stringDictionaries` whether a field's repeated values are
    /// stored once (each by default when it pays, see `StringCompression` and `StringDictionaries`).
    public convenience init(schema: Schema, stringCompression: StringCompression = .default, stringDictionaries: StringDictionaries = .default) {
        self.init(schema: schema, stringCompression: stringCompression, stringDictionaries: stringDictionaries, shardBits: TypeShards.defaultShardBits)
    }

    /// `shardBits`: the shards consumers hold large types in, which new records are placed for
    /// (`TypeWriteState.arrangeFree`); tests make them small.
    init(schema: Schema, stringCompression: StringCompression, stringDictionaries: StringDictionaries, shardBits: Int) {
        engine = Mutex(WriteEngine(schema: schema, stringCompression: stringCompression, stringDictionaries: stringDictionaries,
                                   shardBits: shardBits))
    }

    /// A write state that continues from a state read back from its blobs (a producer restarting,
    /// or a standby taking over): records keep their ordinals, and the next cycle's delta starts
    /// from `state`, so consumers see one unbroken chain.
    ///
    /// Its types keep the coding of `state`'s; `stringCompression` and `stringDictionaries` apply
    /// to types the next cycles add.
    public init(restoring state: ReadState, stringCompression: StringCompression = .default,
                stringDictionaries: StringDictionaries = .default) {
        engine = Mutex(WriteEngine(restoring: state, stringCompression: stringCompression, stringDictionaries: stringDictionaries))
    }

    /// The schema of the cycle under way.
    public var schema: Schema { engine.withLock { $0.schema } }

    /// The id of the last committed state (0 before the first commit).
    public var stateID: UInt64 { engine.withLock { $0.stateID } }

    /// Starts a cycle. With `schema`, the cycle's state has that schema: types and fields may be
    /// added or removed (the changed types travel whole in the delta); any other change of an
    /// existing type is refused with an error naming the type and field.
    public func beginCycle(schema: Schema? = nil) throws(WriteError) {
        try engine.withLock { (engine) throws(WriteError) in try engine.beginCycle(schema: schema) }
    }

    /// Adds a record to the cycle under way and returns its ordinal (the existing one when an
    /// identical record was already added, in this cycle or the last committed one).
    @discardableResult
    public func add(_ record: ObjectRecord) throws(WriteError) -> Int {
        // Encoded and hashed into a temporary buffer (on the stack when small), outside the lock.
        try withUnsafeTemporaryAllocation(byteCount: max(1, record.encodedByteBound), alignment: 8) { (buffer) throws(WriteError) -> Int in
            var writer = EncodingWriter(buffer)
            try record.encode(into: &writer)
            let content = writer.bytes
            let hash = RecordStore.hash(content)
            return try engine.withLock { (engine) throws(WriteError) in try engine.add(record, content: content, hash: hash) }
        }
    }

    /// Adds `records` in order, as `add(_:)` one by one would, taking the lock once: for a reader
    /// on each core, whose adds would otherwise wait on each other record by record. Appends each
    /// record's ordinal to `ordinals`. When a record is refused, the records before it are added
    /// and its error is thrown: its index in `records` is the number of ordinals appended.
    public func add(_ records: [ObjectRecord], ordinals: inout [Int]) throws(WriteError) {
        guard !records.isEmpty else { return }
        let bound = records.reduce(0) { $0 &+ Swift.max(1, $1.encodedByteBound) }
        // Every record encoded and hashed outside the lock, one after another in one buffer; an
        // encoding that fails ends the batch there, after the records before it are added.
        try withUnsafeTemporaryAllocation(byteCount: bound, alignment: 8) { (buffer) throws(WriteError) in
            try withUnsafeTemporaryAllocation(of: (start: Int, count: Int, hash: UInt64).self, capacity: records.count) { (encodings) throws(WriteError) in
                var encoded = 0
                var end = 0
                var failure: WriteError?
                for record in records {
                    var writer = EncodingWriter(UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
                    do throws(WriteError) { try record.encode(into: &writer) } catch {
                        failure = error
                        break
                    }
                    let content = writer.bytes
                    encodings[encoded] = (end, content.count, RecordStore.hash(content))
                    end &+= Swift.max(1, content.count)
                    encoded &+= 1
                }
                try engine.withLock { (engine) throws(WriteError) in
                    for index in 0..<encoded {
                        let (start, count, hash) = encodings[index]
                        let content = UnsafeRawBufferPointer(rebasing: buffer[start..<(start &+ count)])
                        ordinals.append(try engine.add(records[index], content: content, hash: hash))
                    }
                }
                if let failure { throw failure }
            }
        }
    }

    /// Adds the ended records of `batch` in order (a record being built is not one), as `add(_:)`
    /// would add the same records one by one, taking the lock once. Appends each record's ordinal
    /// to `ordinals`. When a record is refused (a reference to a record not added in this cycle),
    /// the records before it are added and its error is thrown: its index in the batch is the
    /// number of ordinals appended. A batch of a type the schema does not have, or of another
    /// schema of it, is refused whole.
    public func add(_ batch: ObjectRecordBatch, ordinals: inout [Int]) throws(WriteError) {
        guard !batch.isEmpty else { return }
        // Hashed outside the lock.
        var hashes: [UInt64] = []
        hashes.reserveCapacity(batch.count)
        for index in 0..<batch.count { hashes.append(try batch.withContent(index) { RecordStore.hash($0) }) }
        try engine.withLock { (engine) throws(WriteError) in try engine.add(batch, hashes: hashes, ordinals: &ordinals) }
    }

    /// Makes room at once for about `records` records of `type` in the cycle under way, whose
    /// encodings take about `bytes` in all (about their size as text): a hint that spares a large
    /// first cycle the copies and fresh pages of growing by doublings. Room the write state has
    /// already (from earlier cycles) is kept; past the hint it grows as before. The hint is a total
    /// for the cycle: `hollow produce` gives the lines and the bytes of the type's files read so far.
    public func reserveCapacity(records: Int, bytes: Int, for type: String) throws(WriteError) {
        precondition(records >= 0 && bytes >= 0, "a capacity is not negative")
        try engine.withLock { (engine) throws(WriteError) in try engine.reserveCapacity(records: records, bytes: bytes, for: type) }
    }

    /// The key bytes (as `ObjectRecordBatch.appendKeyBytes` makes them) of the record `ordinal` of
    /// the object type `type`, from its fields `fields`; nil when no record has that ordinal. The
    /// importer's key tracker compares keys through it instead of keeping their bytes.
    package func keyBytes(ofRecord ordinal: Int, type: String, fields: [Int]) -> [UInt8]? {
        engine.withLock { $0.keyBytes(ofRecord: ordinal, type: type, fields: fields) }
    }

    /// Adds a list of element ordinals (order kept) to the list type `type`.
    @discardableResult
    public func add(list elements: [Int], to type: String) throws(WriteError) -> Int {
        try engine.withLock { (engine) throws(WriteError) in try engine.addCollection(type, keys: elements, values: nil) }
    }

    /// Adds a set of element ordinals (order and repeats ignored) to the set type `type`.
    @discardableResult
    public func add(set elements: [Int], to type: String) throws(WriteError) -> Int {
        try engine.withLock { (engine) throws(WriteError) in try engine.addCollection(type, keys: elements, values: nil) }
    }

    /// Adds a map from key ordinals to value ordinals to the map type `type`.
    @discardableResult
    public func add(map entries: [(key: Int, value: Int)], to type: String) throws(WriteError) -> Int {
        try engine.withLock { (engine) throws(WriteError) in
            try engine.addCollection(type, keys: entries.map(\.key), values: entries.map(\.value))
        }
    }

    /// Keeps every record of the last committed state in the cycle under way, so that a cycle can
    /// add and remove a few records instead of adding the whole dataset again.
    public func keepCommittedRecords() {
        engine.withLock { $0.keepCommitted() }
    }

    /// Removes a record from the cycle under way.
    public func remove(ordinal: Int, from type: String) throws(WriteError) {
        try engine.withLock { (engine) throws(WriteError) in try engine.remove(ordinal, from: type) }
    }

    /// Whether the record `ordinal` of `type` is in the cycle under way.
    public func contains(ordinal: Int, in type: String) -> Bool {
        engine.withLock { $0.isCurrent(ordinal, in: type) }
    }

    /// Writes the blobs of the cycle under way, or returns nil when nothing changed since the last
    /// committed state. The state is not committed: call `commit()` once the blobs are stored and
    /// announced, or `rollback()` to drop the cycle.
    public func writeBlobs() throws(WriteError) -> CycleBlobs? {
        try engine.withLock { (engine) throws(WriteError) in try engine.writeBlobs() }
    }

    /// Makes the state of the last `writeBlobs()` the committed one; the next delta starts from it.
    public func commit() {
        engine.withLock { $0.commit() }
        // The last state's storage and the cycle's scratch are free now: given back, so that a
        // scheduled producer's resident memory between cycles is what it holds.
        FreedMemory.giveBack()
    }

    /// Drops the cycle under way: the next cycle is again a delta from the last committed state.
    public func rollback() {
        engine.withLock { $0.rollback() }
    }
}
