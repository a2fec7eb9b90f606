import HollowCore

/// libFuzzer's entry point. Every input must end in a loaded state or a thrown `BlobError`: a
/// crash, a sanitizer report, a hang or an allocation past the fuzzer's limits is a bug in
/// HollowCore (or a broken harness invariant, which traps with a message).
@_cdecl("LLVMFuzzerTestOneInput")
public func hollowFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = FuzzTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// What one input does: load the snapshot, apply each delta of a chain, and after every step walk
/// the whole state through the public read API and build and query indexes, so that a blob that
/// loads but whose values would send a later read out of bounds is caught too.
enum FuzzTarget {
    /// The outcome of one input, for the replay tool.
    struct Outcome: CustomStringConvertible {
        /// States reached (the snapshot counts as one).
        var states = 0
        /// The error that stopped the input, if any.
        var error: BlobError?
        var checksum: UInt64 = 0

        var description: String {
            let reached = "\(states) state\(states == 1 ? "" : "s") loaded"
            guard let error else { return reached }
            return "\(reached), then refused: \(error)"
        }
    }

    static func run(_ data: UnsafeRawBufferPointer) -> Outcome {
        let input = FuzzInput(data)
        var outcome = Outcome()
        guard let first = input.blobs.first else { return outcome }
        do {
            var state = try ReadState(snapshot: input.mode.isRaw ? BlobFrame.wrap(first) : first)
            outcome.states += 1
            var indexes = StateIndexes(state)
            outcome.checksum &+= StateWalk.walk(state)
            outcome.checksum &+= indexes.check()
            for blob in input.blobs.dropFirst() {
                state = try state.applying(delta: input.mode.isRaw ? BlobFrame.wrap(blob) : blob)
                outcome.states += 1
                indexes = indexes.updated(to: state)
                outcome.checksum &+= StateWalk.walk(state)
                outcome.checksum &+= indexes.check()
            }
        } catch {
            outcome.error = error
        }
        return outcome
    }
}

/// Reads every field of every ordinal (holes included: reading them is allowed and must stay in
/// bounds), every list element and every set and map entry, and looks up each entry again. What
/// loading promises is checked too: every reference a record holds (a field, an element, a key
/// or a value) is an ordinal of its target type, so that a reader may follow it.
enum StateWalk {
    static func walk(_ state: ReadState) -> UInt64 {
        var sum: UInt64 = 0
        var ordinalCounts: [String: Int] = [:]
        for type in state.schema.types {
            switch type {
            case .object: ordinalCounts[type.name] = state.objectType(type.name)?.ordinalCount
            case .list: ordinalCounts[type.name] = state.listType(type.name)?.ordinalCount
            case .set, .map: ordinalCounts[type.name] = state.hashedType(type.name)?.ordinalCount
            }
        }
        func follow(_ reference: Int, to target: String, from type: String, _ ordinal: Int) {
            guard let count = ordinalCounts[target], reference >= 0, reference < count else {
                fatalError("\(type) record \(ordinal) refers to \(target) ordinal \(reference), beyond \(ordinalCounts[target] ?? -1)")
            }
        }
        for type in state.schema.types {
            switch type {
            case .object:
                guard let reader = state.objectType(type.name) else { fatalError("object type \(type.name) has no reader") }
                var populated = 0
                for _ in reader.ordinals { populated += 1 }
                precondition(populated == reader.recordCount, "\(type.name): \(populated) populated ordinals, recordCount \(reader.recordCount)")
                for ordinal in 0..<reader.ordinalCount {
                    for field in reader.fields {
                        if reader.isNull(ordinal, field) { sum &+= 1; continue }
                        switch field.type {
                        case .int: sum &+= UInt64(truncatingIfNeeded: reader.int(ordinal, field)!)
                        case .long: sum &+= UInt64(bitPattern: reader.long(ordinal, field)!)
                        case .float: sum &+= UInt64(reader.float(ordinal, field)!.bitPattern)
                        case .double: sum &+= reader.double(ordinal, field)!.bitPattern
                        case .bool: sum &+= reader.bool(ordinal, field)! ? 1 : 0
                        case .string: sum &+= UInt64(reader.string(ordinal, field)!.utf8.count)
                        case .bytes: sum &+= UInt64(reader.bytes(ordinal, field)!.count)
                        case .reference(let target):
                            let reference = reader.reference(ordinal, field)!
                            if reader.isPopulated(ordinal) { follow(reference, to: target, from: type.name, ordinal) }
                            sum &+= UInt64(truncatingIfNeeded: reference)
                        }
                    }
                }
            case .list(_, let element):
                guard let reader = state.listType(type.name) else { fatalError("list type \(type.name) has no reader") }
                let populated = Set(reader.ordinals)
                for ordinal in 0..<reader.ordinalCount {
                    for item in reader.elements(ordinal) {
                        if populated.contains(ordinal) { follow(item, to: element, from: type.name, ordinal) }
                        sum &+= UInt64(truncatingIfNeeded: item)
                    }
                }
            case .set, .map:
                guard let reader = state.hashedType(type.name) else { fatalError("hashed type \(type.name) has no reader") }
                let populated = Set(reader.ordinals)
                let (keyType, valueType): (String, String) = switch type {
                case .set(_, let element): (element, element)
                case .map(_, let key, let value): (key, value)
                default: fatalError("not a hashed type")
                }
                for ordinal in 0..<reader.ordinalCount {
                    sum &+= UInt64(truncatingIfNeeded: reader.count(ordinal))
                    for entry in reader.entries(ordinal) {
                        if populated.contains(ordinal) {
                            follow(entry.key, to: keyType, from: type.name, ordinal)
                            follow(entry.value, to: valueType, from: type.name, ordinal)
                        }
                        sum &+= UInt64(truncatingIfNeeded: entry.key &+ entry.value)
                        // The lookup probes from the key's home bucket: it must stay in bounds too.
                        if reader.contains(ordinal, entry.key) { sum &+= 1 }
                        if let value = reader.value(ordinal, forKey: entry.key) { sum &+= UInt64(truncatingIfNeeded: value) }
                    }
                    _ = reader.contains(ordinal, 0)
                }
            }
        }
        return sum
    }
}

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
