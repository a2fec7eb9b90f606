import HollowCore
import Synchronization

/// The changes of an incremental cycle: the last announced records stay, and the cycle inserts,
/// replaces and deletes records by primary key. For datasets too large to add again every cycle.
///
/// Records reachable only from a replaced or deleted record (an old list of a movie, say) stay in
/// the state until a full cycle (`Producer.runCycle`) drops them.
public final class IncrementalCycle: Sendable {
    /// The cycle's write state: add the records that upserted records refer to here.
    public let writeState: WriteState
    private let keyIndexes: Mutex<[String: PrimaryKeyIndex]>
    private let announcedState: ReadState?
    /// Per type, the ordinal of each key upserted in this cycle.
    private let upserted = Mutex<[String: [[FieldValue?]: Int]]>([:])

    init(writeState: WriteState, announcedState: ReadState?, keyIndexes: [String: PrimaryKeyIndex]) {
        self.writeState = writeState
        self.announcedState = announcedState
        self.keyIndexes = Mutex(keyIndexes)
    }

    /// Adds `record`, replacing the record with the same primary key if there is one. The last
    /// upsert of a key in a cycle wins. Returns the record's ordinal.
    @discardableResult
    public func upsert(_ record: ObjectRecord) throws(ProducerError) -> Int {
        let type = record.schema.name
        let key = try primaryKey(of: record)
        try removeRecord(type, key: key)
        let ordinal: Int
        do { ordinal = try writeState.add(record) } catch { throw .write(error) }
        upserted.withLock { $0[type, default: [:]][key] = ordinal }
        return ordinal
    }

    /// Deletes the record of `type` whose primary key fields (in the schema's order) hold `key`.
    /// Returns whether there was one.
    @discardableResult
    public func delete(_ type: String, key: [FieldValue?]) throws(ProducerError) -> Bool {
        guard let object = writeState.schema.object(type), let fields = object.primaryKey else {
            throw .incremental("\(type) has no primary key: its records cannot be deleted by key")
        }
        guard key.count == fields.count else {
            throw .incremental("the primary key of \(type) has \(fields.count) fields (\(fields.joined(separator: ", "))), \(key.count) given")
        }
        return try removeRecord(type, key: key)
    }

    /// Removes the current record of `key`, upserted in this cycle or announced before.
    @discardableResult
    private func removeRecord(_ type: String, key: [FieldValue?]) throws(ProducerError) -> Bool {
        var removed = false
        if let ordinal = upserted.withLock({ $0[type]?.removeValue(forKey: key) }), writeState.contains(ordinal: ordinal, in: type) {
            do { try writeState.remove(ordinal: ordinal, from: type) } catch { throw .write(error) }
            removed = true
        }
        if let ordinal = try announcedOrdinal(type, key: key), writeState.contains(ordinal: ordinal, in: type) {
            do { try writeState.remove(ordinal: ordinal, from: type) } catch { throw .write(error) }
            removed = true
        }
        return removed
    }

    private func announcedOrdinal(_ type: String, key: [FieldValue?]) throws(ProducerError) -> Int? {
        guard let announcedState, announcedState.objectType(type) != nil else { return nil }
        let index = try keyIndexes.withLock { (indexes) throws(ProducerError) -> PrimaryKeyIndex in
            if let index = indexes[type] { return index }
            do {
                let index = try PrimaryKeyIndex(announcedState, type: type)
                indexes[type] = index
                return index
            } catch {
                throw .incremental("cannot index \(type) by its primary key: \(error)")
            }
        }
        return index.ordinal(matching: key)
    }

    private func primaryKey(of record: ObjectRecord) throws(ProducerError) -> [FieldValue?] {
        let object = record.schema
        guard let fields = object.primaryKey else {
            throw .incremental("\(object.name) has no primary key: upsert needs one (add it with WriteState.add instead)")
        }
        return try fields.map { (path) throws(ProducerError) -> FieldValue? in
            guard !path.contains(".") else {
                throw .incremental("the primary key of \(object.name) goes through a reference (\(path)): upsert needs key fields of the record itself")
            }
            return record[path]
        }
    }

    /// The key indexes of the announced state, built during this cycle, for the next one.
    var indexes: [String: PrimaryKeyIndex] { keyIndexes.withLock { $0 } }
}
