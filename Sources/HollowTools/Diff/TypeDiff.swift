import HollowCore

/// The differences of one type between two states.
///
/// An object type with the same primary key in both states is compared record by record: a record
/// is matched across the states by its key, and two matched records are compared field by field
/// through their JSON (`RecordJSON`), references followed, so a changed nested record shows as a
/// change of the field that refers to it. Other types (lists, sets, maps, object types without a
/// key or whose key changed) are compared by record count only, and `primaryKey` is nil.
public struct TypeDiff: Sendable, Hashable {
    /// A record only one of the states has.
    public struct Record: Sendable, Hashable {
        /// The record's key, one `path=value` per key field (the value as JSON, `?` when a path
        /// cannot be followed).
        public var key: [String]
        /// The key's values, as a primary-key index takes them (nil when a path cannot be followed).
        public var keyValues: [FieldValue?]?
        /// The whole record as JSON (`RecordJSON.object`).
        public var json: String
        /// Its ordinal in the state that has it (to read or link it).
        public var ordinal: Int

        public init(key: [String], keyValues: [FieldValue?]? = nil, json: String, ordinal: Int) {
            self.key = key
            self.keyValues = keyValues
            self.json = json
            self.ordinal = ordinal
        }
    }

    /// A field whose value differs between the two states, both values as JSON (`null` in a state
    /// whose schema lacks the field).
    public struct FieldChange: Sendable, Hashable {
        public var name: String
        public var before: String
        public var after: String

        public init(name: String, before: String, after: String) {
            self.name = name
            self.before = before
            self.after = after
        }
    }

    /// A record both states have under the same key, with different fields.
    public struct Change: Sendable, Hashable {
        /// The record's key, as in `Record.key`.
        public var key: [String]
        /// The key's values, as in `Record.keyValues`.
        public var keyValues: [FieldValue?]?
        /// The fields that differ with their values before and after, in the new state's schema
        /// order, then the fields only the old state has (a field one state lacks counts as null there).
        public var fieldChanges: [FieldChange]
        /// The record's ordinal in the old state and in the new one.
        public var fromOrdinal: Int
        public var toOrdinal: Int

        /// The names of the fields that differ.
        public var fields: [String] { fieldChanges.map(\.name) }

        public init(key: [String], keyValues: [FieldValue?]? = nil, fieldChanges: [FieldChange], fromOrdinal: Int, toOrdinal: Int) {
            self.key = key
            self.keyValues = keyValues
            self.fieldChanges = fieldChanges
            self.fromOrdinal = fromOrdinal
            self.toOrdinal = toOrdinal
        }
    }

    /// The type's name.
    public let name: String
    /// The key fields the records were matched by; nil when compared by count only.
    public let primaryKey: [String]?
    /// Records of the new state whose key the old state does not have, in ordinal order.
    public var added: [Record] = []
    /// Records of the old state whose key the new state does not have, in ordinal order.
    public var removed: [Record] = []
    /// Records of the new state, in ordinal order, whose fields differ from the old record's.
    public var changed: [Change] = []
    /// How many records were added, removed and changed, kept in the lists or not.
    public var addedCount = 0
    public var removedCount = 0
    public var changedCount = 0
    /// Records of the type in the old state (0 when it has no such type).
    public var fromRecordCount = 0
    /// Records of the type in the new state (0 when it has no such type).
    public var toRecordCount = 0

    /// Whether anything differs (for a type compared by count: the counts).
    public var hasChanges: Bool { addedCount > 0 || removedCount > 0 || changedCount > 0 || fromRecordCount != toRecordCount }

    /// The differences of type `name` from `old` to `new`; only the first `limit` records of each
    /// kind are kept in `added`, `removed` and `changed` (their JSON is not even made), all counted.
    public init(_ name: String, from old: ReadState, to new: ReadState, keeping limit: Int = .max) {
        self.name = name
        fromRecordCount = old.recordCount(name)
        toRecordCount = new.recordCount(name)
        let oldObject = old.schema.object(name), newObject = new.schema.object(name)
        // By key only when both versions have the type with the same primary key.
        guard let key = newObject?.primaryKey ?? oldObject?.primaryKey,
              oldObject == nil || oldObject?.primaryKey == key, newObject == nil || newObject?.primaryKey == key else {
            primaryKey = nil
            return
        }
        primaryKey = key
        let oldJSON = RecordJSON(state: old), newJSON = RecordJSON(state: new)
        let oldIndex = oldObject == nil ? nil : try? PrimaryKeyIndex(old, type: name)
        let newIndex = newObject == nil ? nil : try? PrimaryKeyIndex(new, type: name)
        if let records = new.objectType(name) {
            for ordinal in records.ordinals {
                let keyValues = RecordKey.values(key, type: name, ordinal: ordinal, in: new)
                let keyText = RecordKey.text(key, type: name, ordinal: ordinal, in: new)
                guard let oldOrdinal = keyValues.flatMap({ oldIndex?.ordinal(matching: $0) }), let oldRecords = old.objectType(name) else {
                    addedCount += 1
                    if added.count < limit {
                        added.append(Record(key: keyText, keyValues: keyValues, json: newJSON.object(name, ordinal), ordinal: ordinal))
                    }
                    continue
                }
                var fields: [FieldChange] = []
                for field in records.fields {
                    // A field the old version did not have counts as null there.
                    let before = oldRecords.field(field.name).map { oldJSON.field(name, oldOrdinal, $0) } ?? "null"
                    let after = newJSON.field(name, ordinal, field)
                    if before != after { fields.append(FieldChange(name: field.name, before: before, after: after)) }
                }
                for field in oldRecords.fields where records.field(field.name) == nil {
                    let before = oldJSON.field(name, oldOrdinal, field)
                    if before != "null" { fields.append(FieldChange(name: field.name, before: before, after: "null")) }
                }
                if !fields.isEmpty {
                    changedCount += 1
                    if changed.count < limit {
                        changed.append(Change(key: keyText, keyValues: keyValues, fieldChanges: fields, fromOrdinal: oldOrdinal, toOrdinal: ordinal))
                    }
                }
            }
        }
        if let records = old.objectType(name) {
            for ordinal in records.ordinals {
                let keyValues = RecordKey.values(key, type: name, ordinal: ordinal, in: old)
                if keyValues.flatMap({ newIndex?.ordinal(matching: $0) }) == nil {
                    removedCount += 1
                    guard removed.count < limit else { continue }
                    removed.append(Record(key: RecordKey.text(key, type: name, ordinal: ordinal, in: old), keyValues: keyValues,
                                          json: oldJSON.object(name, ordinal), ordinal: ordinal))
                }
            }
        }
    }
}
