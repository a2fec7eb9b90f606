#if !FUZZING
import HollowCore

/// Writes the seed corpus: real snapshots, deltas and reverse deltas of a few small datasets,
/// produced by `WriteState` over several cycles, in the fuzzer's input format, in every mode.
/// State ids are random, so each run writes different (equally valid) bytes.
enum CorpusGenerator {
    struct Written {
        var name: String
        var bytes: Int
    }

    /// The blobs of one dataset over its cycles.
    struct History {
        var name: String
        var snapshots: [[UInt8]] = []
        /// `deltas[i]` leads from `snapshots[i]` to `snapshots[i + 1]`; `reverses[i]` back.
        var deltas: [[UInt8]] = []
        var reverses: [[UInt8]] = []
    }

    static func write(to directory: String) throws -> [Written] {
        guard FileIO.makeDirectory(directory) else { throw GeneratorError("cannot create \(directory)") }
        var written: [Written] = []
        for history in try histories() {
            for (name, input) in try inputs(history) {
                let bytes = input.encoded
                let path = directory + "/" + name
                guard FileIO.write(bytes, to: path) else { throw GeneratorError("cannot write \(path)") }
                // Every seed must load: a seed the harness refuses teaches the fuzzer little.
                let outcome = bytes.withUnsafeBytes { BlobTarget.run($0) }
                guard outcome.error == nil, outcome.states == input.blobs.count else {
                    throw GeneratorError("\(name) does not load: \(outcome)")
                }
                written.append(Written(name: name, bytes: bytes.count))
            }
        }
        return written
    }

    /// Writes the image target's seeds: the image of the first and the last state of each
    /// history, with the indexes the blob target keeps (a primary key where the schema declares
    /// one, a hash index on each field).
    static func writeImages(to directory: String) throws -> [Written] {
        guard FileIO.makeDirectory(directory) else { throw GeneratorError("cannot create \(directory)") }
        var written: [Written] = []
        for history in try histories() {
            for (which, blob) in [("first", history.snapshots[0]), ("last", history.snapshots[history.snapshots.count - 1])] {
                let state = try ReadState(snapshot: blob)
                let indexes = StateIndexes(state)
                let bytes = StateImage.bytes(
                    of: state,
                    primaryKeyIndexes: Dictionary(uniqueKeysWithValues: indexes.primaryKeys.map { ($0.type, $0) }),
                    hashIndexes: Dictionary(uniqueKeysWithValues: indexes.fields.map { ("\($0.index.type).\($0.field)", $0.index) }),
                    metadata: Array(history.name.utf8))
                let name = "\(history.name)-\(which).image"
                guard FileIO.write(bytes, to: directory + "/" + name) else { throw GeneratorError("cannot write \(name)") }
                let outcome = bytes.withUnsafeBytes { ImageTarget.run($0) }
                guard !outcome.hasPrefix("refused") else { throw GeneratorError("\(name) is refused: \(outcome)") }
                written.append(Written(name: name, bytes: bytes.count))
            }
        }
        return written
    }

    /// The inputs of one history: the first and last snapshots, the forward chain and the reverse
    /// chain, each stored and raw.
    static func inputs(_ history: History) throws -> [(String, FuzzInput)] {
        let forward = [history.snapshots[0]] + history.deltas
        let backward = [history.snapshots[history.snapshots.count - 1]] + history.reverses.reversed()
        let stored: [(String, FuzzInput.Mode, [[UInt8]])] = [
            ("snapshot-first", .snapshot, [history.snapshots[0]]),
            ("snapshot-last", .snapshot, [history.snapshots[history.snapshots.count - 1]]),
            ("chain-forward", .chain, forward),
            ("chain-reverse", .chain, backward),
        ]
        var result: [(String, FuzzInput)] = []
        for (kind, mode, blobs) in stored {
            result.append(("\(history.name)-\(kind).bin", FuzzInput(mode: mode, blobs: blobs)))
            let rawMode: FuzzInput.Mode = mode == .snapshot ? .rawSnapshot : .rawChain
            result.append(("\(history.name)-raw-\(kind).bin", FuzzInput(mode: rawMode, blobs: try blobs.map { try BlobFrame.unwrap($0) })))
        }
        return result
    }

    static func histories() throws -> [History] {
        [try catalog(), try primitives(), try collections(), try schemaChanges(), try removals(), try paths()]
            // The same with every string and bytes field coded by a symbol table (format version 3).
            + [try catalog(coding: .symbols), try primitives(coding: .symbols), try schemaChanges(coding: .symbols), try paths(coding: .symbols)]
            // And held in dictionaries, their values coded or not (format version 4).
            + [try catalog(coding: .dictionaries), try primitives(coding: .codedDictionaries), try schemaChanges(coding: .dictionaries),
               try removals(coding: .codedDictionaries)]
    }

    /// How the histories' string and bytes fields are stored.
    enum Coding {
        case plain, symbols, dictionaries, codedDictionaries

        /// The prefix of a history's seeds.
        func name(_ base: String) -> String {
            switch self {
            case .plain: base
            case .symbols: "v3-coded-" + base
            case .dictionaries: "v4-dictionary-" + base
            case .codedDictionaries: "v4-coded-dictionary-" + base
            }
        }
    }

    /// Runs `cycles` cycles of `body` on a write state of `schema`, keeping every blob.
    static func record(_ name: String, schema: Schema, cycles: Int, coding: Coding = .plain,
                       _ body: (WriteState, Int) throws -> Schema?) throws -> History {
        let state = WriteState(schema: schema, stringCompression: coding == .symbols || coding == .codedDictionaries ? .always : .never,
                               stringDictionaries: coding == .dictionaries || coding == .codedDictionaries ? .always : .never)
        var history = History(name: name)
        for cycle in 0..<cycles {
            try state.beginCycle()
            if let next = try body(state, cycle) {
                // The body asked for a new schema: start the cycle again with it.
                try state.beginCycle(schema: next)
                _ = try body(state, cycle)
            }
            guard let blobs = try state.writeBlobs() else { throw GeneratorError("\(name): cycle \(cycle) changed nothing") }
            state.commit()
            history.snapshots.append(blobs.snapshot)
            if let delta = blobs.delta { history.deltas.append(delta) }
            if let reverse = blobs.reverseDelta { history.reverses.append(reverse) }
        }
        return history
    }

    static func record(_ schema: Schema, _ type: String, _ values: [String: FieldValue?]) throws -> ObjectRecord {
        guard let object = schema.object(type) else { throw GeneratorError("no type \(type)") }
        var record = ObjectRecord(object)
        for (name, value) in values { try record.set(name, value) }
        return record
    }

    /// Movies, people and genres with every kind of field and collection (the catalog of the tests).
    static func catalog(coding: Coding = .plain) throws -> History {
        let schema = try Schema(parsing: """
            type Person key(name) {
                name: string
                born: int?
            }
            type Genre key(name) { name: string }
            set Genres of Genre
            list Cast of Person
            map Roles of Person to Genre
            type Movie key(id) {
                id: long
                title: string
                year: int
                rating: double?
                seen: bool
                poster: bytes?
                director: Person?
                genres: Genres
                cast: Cast
                roles: Roles
            }
            """)
        return try record(coding.name("catalog"), schema: schema, cycles: 3, coding: coding) { state, cycle in
            var people: [Int] = []
            for index in 0..<8 where (index + cycle) % 5 != 0 {
                people.append(try state.add(record(schema, "Person", [
                    "name": .string("P\(index)"), "born": index % 3 == 0 ? nil : .int(Int32(1900 + index * 7 + cycle)),
                ])))
            }
            let genres = try ["Drama", "Comedy", "Noir"].map { try state.add(record(schema, "Genre", ["name": .string($0)])) }
            for id in 0..<10 where (id + cycle) % 4 != 0 {
                let cast = Array(people.prefix(id % 4))
                let chosen = Array(genres.prefix(id % 3))
                let roles = zip(cast, chosen).map { (key: $0, value: $1) }
                try state.add(record(schema, "Movie", [
                    "id": .long(Int64(id)),
                    "title": .string("Movie \(id) v\(id % 3 == cycle ? cycle : 0)"),
                    "year": .int(Int32(1950 + id)),
                    "rating": id % 4 == 1 ? nil : .double(Double(id) / 4),
                    "seen": .bool(id % 2 == 0),
                    "poster": id % 3 == 0 ? nil : .bytes([UInt8(id), 0xFF, 0]),
                    "director": id % 5 == 0 ? nil : .reference(people[id % people.count]),
                    "genres": .reference(try state.add(set: chosen, to: "Genres")),
                    "cast": .reference(try state.add(list: cast, to: "Cast")),
                    "roles": .reference(try state.add(map: roles, to: "Roles")),
                ]))
            }
            return nil
        }
    }

    /// Every primitive field type, nullable and not, with extreme values (wide columns).
    static func primitives(coding: Coding = .plain) throws -> History {
        let schema = try Schema(parsing: """
            type Row key(id) {
                id: long
                i: int
                l: long?
                f: float
                d: double?
                b: bool
                s: string?
                x: bytes
            }
            list Rows of Row
            """)
        return try record(coding.name("primitives"), schema: schema, cycles: 3, coding: coding) { state, cycle in
            var rows: [Int] = []
            for id in 0..<6 {
                let extreme = (id + cycle) % 3 == 0
                rows.append(try state.add(record(schema, "Row", [
                    "id": .long(Int64(id)),
                    "i": .int(extreme ? Int32.min : Int32(id * cycle)),
                    "l": id == 2 ? nil : .long(extreme ? Int64.max : Int64(-id)),
                    "f": .float(extreme ? -.infinity : Float(id) / 3),
                    "d": id == 4 ? nil : .double(extreme ? .nan : Double(cycle) * 1e300),
                    "b": .bool(extreme),
                    "s": id == 1 ? nil : .string(String(repeating: "é", count: id + cycle)),
                    "x": .bytes(Array(0..<UInt8(id * 2))),
                ])))
            }
            try state.add(list: rows, to: "Rows")
            try state.add(list: rows.reversed(), to: "Rows")
            if cycle == 1 { try state.add(list: [], to: "Rows") }
            return nil
        }
    }

    /// Lists, sets and maps, empty and full, referring to an object type and to each other's
    /// element type.
    static func collections(coding: Coding = .plain) throws -> History {
        let schema = try Schema(parsing: """
            type Tag key(name) { name: string }
            list Tags of Tag
            set TagSet of Tag
            map TagMap of Tag to Tag
            map Nested of TagSet to Tags
            type Holder {
                tags: Tags
                set: TagSet
                map: TagMap
                nested: Nested?
                first: Tag?
            }
            """)
        return try record(coding.name("collections"), schema: schema, cycles: 3, coding: coding) { state, cycle in
            let tags = try (0..<(5 + cycle)).map { try state.add(record(schema, "Tag", ["name": .string("t\($0)")])) }
            for holder in 0..<4 {
                let some = Array(tags.reorderedDeterministically(seed: holder + cycle).prefix(holder + cycle))
                let set = try state.add(set: some, to: "TagSet")
                let list = try state.add(list: some + some.prefix(1), to: "Tags")
                let map = try state.add(map: some.enumerated().map { (key: $1, value: tags[$0 % tags.count]) }, to: "TagMap")
                let nested = try state.add(map: [(key: set, value: list)], to: "Nested")
                try state.add(record(schema, "Holder", [
                    "tags": .reference(list), "set": .reference(set), "map": .reference(map),
                    "nested": holder == 0 ? nil : .reference(nested), "first": some.first.map { .reference($0) },
                ]))
            }
            return nil
        }
    }

    /// A schema that changes between cycles: a field added (the type then travels whole), a type
    /// removed, a type added, so that deltas carry full and removal sections.
    static func schemaChanges(coding: Coding = .plain) throws -> History {
        let first = try Schema(parsing: """
            type Item key(id) {
                id: int
                label: string
            }
            type Legacy { code: long }
            list Items of Item
            """)
        let second = try Schema(parsing: """
            type Item key(id) {
                id: int
                label: string
                weight: double?
            }
            type Fresh { note: string }
            list Items of Item
            """)
        return try record(coding.name("schemas"), schema: first, cycles: 3, coding: coding) { state, cycle in
            let schema = state.schema
            if cycle == 1 && schema == first { return second }
            var items: [Int] = []
            for id in 0..<5 {
                var values: [String: FieldValue?] = ["id": .int(Int32(id)), "label": .string("item \(id)")]
                if schema.object("Item")?.fieldIndex("weight") != nil { values["weight"] = id % 2 == 0 ? .double(Double(id) + 0.5) : nil }
                items.append(try state.add(record(schema, "Item", values)))
            }
            try state.add(list: items, to: "Items")
            if schema.object("Legacy") != nil { try state.add(record(schema, "Legacy", ["code": .long(Int64(cycle) << 40)])) }
            if schema.object("Fresh") != nil { try state.add(record(schema, "Fresh", ["note": .string("cycle \(cycle)")])) }
            return nil
        }
    }

    /// Incremental cycles that remove records one by one: holes in the ordinals, types whose
    /// ordinal count shrinks (and grows again in the reverse deltas), and reused ordinals.
    static func removals(coding: Coding = .plain) throws -> History {
        let schema = try Schema(parsing: """
            type Name { text: string }
            type Entry key(id) {
                id: long
                name: Name
                score: int?
            }
            """)
        var names: [Int] = []
        var entries: [Int] = []
        return try record(coding.name("removals"), schema: schema, cycles: 4, coding: coding) { state, cycle in
            switch cycle {
            case 0:
                names = try (0..<12).map { try state.add(record(schema, "Name", ["text": .string("name \($0)")])) }
                entries = try (0..<12).map {
                    try state.add(record(schema, "Entry", ["id": .long(Int64($0)), "name": .reference(names[$0]), "score": .int(Int32($0 * 1000))]))
                }
            case 1:
                state.keepCommittedRecords()
                for index in [3, 7, 10, 11] {
                    try state.remove(ordinal: entries[index], from: "Entry")
                    try state.remove(ordinal: names[index], from: "Name")
                }
            case 2:
                state.keepCommittedRecords()
                let name = try state.add(record(schema, "Name", ["text": .string("reused")]))
                try state.add(record(schema, "Entry", ["id": .long(100), "name": .reference(name), "score": nil]))
            default:
                state.keepCommittedRecords()
                for index in [0, 1] { try state.remove(ordinal: entries[index], from: "Entry") }
                try state.add(record(schema, "Entry", ["id": .long(Int64.min), "name": .reference(names[0]), "score": .int(-1)]))
            }
            return nil
        }
    }
}

extension CorpusGenerator {
    /// Primary keys whose paths follow references (`country.code`), so that building the index
    /// walks from record to record, over types with holes left by removals.
    static func paths(coding: Coding = .plain) throws -> History {
        let schema = try Schema(parsing: """
            type Country key(code) { code: string }
            type City key(name, country.code) {
                name: string
                country: Country
            }
            type Person key(name, home.country.code) {
                name: string
                home: City?
                age: int
            }
            """)
        var countries: [Int] = []
        var cities: [Int] = []
        var people: [Int] = []
        return try record(coding.name("paths"), schema: schema, cycles: 3, coding: coding) { state, cycle in
            func person(_ name: String, _ home: Int?) throws -> Int {
                try state.add(record(schema, "Person", ["name": .string(name), "home": home.map { .reference($0) }, "age": .int(Int32(name.count))]))
            }
            switch cycle {
            case 0:
                countries = try ["NO", "SE", "FI"].map { try state.add(record(schema, "Country", ["code": .string($0)])) }
                cities = try [("Oslo", 0), ("Bergen", 0), ("Umea", 1), ("Turku", 2)].map { name, country in
                    try state.add(record(schema, "City", ["name": .string(name), "country": .reference(countries[country])]))
                }
                people = try [0, 1, 2, 3].map { try person("person \($0)", cities[$0]) } + [try person("nomad", nil)]
            case 1:
                // Holes in Person and City; Country shrinks.
                state.keepCommittedRecords()
                for index in [1, 3] {
                    try state.remove(ordinal: people[index], from: "Person")
                    try state.remove(ordinal: cities[index], from: "City")
                }
                try state.remove(ordinal: countries[2], from: "Country")
                _ = try person("newcomer", cities[0])
            default:
                // Ordinals freed by the last cycle are reused.
                state.keepCommittedRecords()
                let city = try state.add(record(schema, "City", ["name": .string("Tromso"), "country": .reference(countries[0])]))
                _ = try person("northerner", city)
            }
            return nil
        }
    }
}

struct GeneratorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Array {
    /// A fixed reordering that depends on `seed` (a rotation, reversed for odd seeds), so that lists,
    /// sets and maps get elements out of ordinal order and the corpus has the same shape on every run.
    func reorderedDeterministically(seed: Int) -> [Element] {
        guard !isEmpty else { return self }
        let start = seed % count
        let rotated = Array(self[start...] + self[..<start])
        return seed % 2 == 1 ? rotated.reversed() : rotated
    }
}
#endif
