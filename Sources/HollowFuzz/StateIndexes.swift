import HollowCore

/// The indexes the harness keeps along a chain: the primary key of every object type that declares
/// one, and a hash index on each field of each object type. After a delta they are updated (the
/// incremental path), and `check()` looks every record up by its own field value.
struct StateIndexes {
    var primaryKeys: [PrimaryKeyIndex] = []
    var fields: [(index: HashIndex, field: String)] = []

    init(_ state: ReadState) {
        for case .object(let object) in state.schema.types {
            if object.primaryKey != nil { primaryKeys.append(StateIndexes.build { () throws(IndexError) in try PrimaryKeyIndex(state, type: object.name) }) }
            for field in object.fields {
                fields.append((StateIndexes.build { () throws(IndexError) in try HashIndex(state, type: object.name, fields: [field.name]) }, field.name))
            }
        }
    }

    private init(primaryKeys: [PrimaryKeyIndex], fields: [(index: HashIndex, field: String)]) {
        self.primaryKeys = primaryKeys
        self.fields = fields
    }

    /// Indexes of a loaded state are built from a valid schema: failing to build one is a bug.
    private static func build<T>(_ body: () throws(IndexError) -> T) -> T {
        do { return try body() } catch { fatalError("index of a loaded state: \(error)") }
    }

    func updated(to state: ReadState) -> StateIndexes {
        // A delta may change the schema: indexes of types or fields that are gone are dropped,
        // new ones are built.
        var next = StateIndexes(primaryKeys: [], fields: [])
        let fresh = StateIndexes(state)
        for index in fresh.primaryKeys {
            if let old = primaryKeys.first(where: { $0.type == index.type && $0.fields == index.fields }) {
                next.primaryKeys.append(StateIndexes.build { () throws(IndexError) in try old.updated(to: state) })
            } else {
                next.primaryKeys.append(index)
            }
        }
        for (index, field) in fresh.fields {
            if let old = fields.first(where: { $0.index.type == index.type && $0.field == field }),
               state.schema.object(index.type)?.fields.first(where: { $0.name == field })?.type
                == old.index.state.schema.object(index.type)?.fields.first(where: { $0.name == field })?.type {
                next.fields.append((StateIndexes.build { () throws(IndexError) in try old.index.updated(to: state) }, field))
            } else {
                next.fields.append((index, field))
            }
        }
        return next
    }

    /// Looks each record up by its own field value in the single-field hash indexes (the record
    /// must be among the matches), and by ordinal-free lookups in the primary-key indexes.
    func check() -> UInt64 {
        var sum: UInt64 = 0
        for (index, fieldName) in fields {
            let state = index.state
            guard let reader = state.objectType(index.type), let field = reader.field(fieldName) else {
                fatalError("index on \(index.type).\(fieldName) without its field")
            }
            for ordinal in reader.ordinals {
                let found: Bool
                switch field.type {
                case .int: found = index.ordinals(reader.int(ordinal, field)).contains(ordinal)
                case .long: found = index.ordinals(reader.long(ordinal, field)).contains(ordinal)
                case .float: found = index.ordinals(reader.float(ordinal, field)).contains(ordinal)
                case .double: found = index.ordinals(reader.double(ordinal, field)).contains(ordinal)
                case .bool: found = index.ordinals(reader.bool(ordinal, field)).contains(ordinal)
                case .bytes: found = index.ordinals(reader.bytes(ordinal, field)).contains(ordinal)
                case .reference: found = index.ordinals(reader.reference(ordinal, field)).contains(ordinal)
                case .string:
                    // A string whose stored bytes are not UTF-8 reads back repaired: look it up
                    // only when it reads back as stored.
                    guard let text = reader.string(ordinal, field) else {
                        found = index.ordinals(String?.none).contains(ordinal)
                        break
                    }
                    guard Array(text.utf8) == reader.bytes(ordinal, field) ?? [] else { found = true; break }
                    found = index.ordinals(text).contains(ordinal)
                }
                precondition(found, "\(index.type) record \(ordinal) is not found by its own \(fieldName)")
                sum &+= 1
            }
        }
        for index in primaryKeys {
            // Lookups of absent keys walk the probe sequence to an empty slot.
            if index.fields.count == 1 { sum &+= UInt64(truncatingIfNeeded: index.ordinal(Int64(-12345)) ?? 0) }
        }
        return sum
    }
}
