import PropertyBased
import Testing
import TestThreads
@testable import HollowCore

@Suite(.onTestThreads) struct EdgeCaseTests {
    /// A long value whose ZigZag encoding needs exactly `width` bits.
    static func long(width: Int) -> Int64 {
        precondition(width >= 1 && width <= 64)
        return ZigZag.decode(UInt64(1) << UInt64(width - 1) | 1)
    }

    @Test(arguments: [1, 2, 7, 8, 31, 56, 57, 58, 63, 64])
    func fieldWidthsReadBackExactly(width: Int) throws {
        let schema = try Schema(parsing: "type V { pad: int  x: long  y: long?  z: double }")
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        var expected: [Int: (Int64, Int64?, Double)] = [:]
        for index in 0..<200 {
            var record = ObjectRecord(schema.object("V")!)
            // A leading field of varying width moves the others to every bit offset.
            try record.set("pad", .int(Int32(index % 64)))
            let x = index == 0 ? Self.long(width: width) : Int64(index % 2 == 0 ? index : -index)
            let y: Int64? = index % 3 == 0 ? nil : Self.long(width: width) ^ Int64(index & 1)
            let z = Double(bitPattern: UInt64.max >> UInt64(64 - width) ^ UInt64(index))
            try record.set("x", .long(x))
            try record.set("y", y.map { .long($0) })
            try record.set("z", .double(z))
            expected[try writer.add(record)] = (x, y, z)
        }
        let blobs = try #require(try writer.writeBlobs())
        let state = try ReadState(snapshot: blobs.snapshot)
        let reader = try #require(state.objectType("V"))
        let (x, y, z) = (reader.field("x")!, reader.field("y")!, reader.field("z")!)
        #expect(state.memory.types[0].bitsPerRecord >= width)
        for (ordinal, values) in expected {
            #expect(reader.long(ordinal, x) == values.0)
            #expect(reader.long(ordinal, y) == values.1)
            #expect(reader.double(ordinal, z)?.bitPattern == values.2.bitPattern)
        }
    }

    @Test func emptyStateAndEmptyCycles() throws {
        let schema = try Schema(parsing: "type A key(id) { id: long  name: string? }\nlist As of A")
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        let first = try #require(try writer.writeBlobs())
        writer.commit()
        let empty = try ReadState(snapshot: first.snapshot)
        #expect(empty.recordCount("A") == 0)
        #expect(Array(empty.objectType("A")!.ordinals).isEmpty)
        let index = try PrimaryKeyIndex(empty, type: "A")
        #expect(index.ordinal(Int64(1)) == nil)

        try writer.beginCycle()
        var record = ObjectRecord(schema.object("A")!)
        try record.set("id", .long(1))
        let one = try writer.add(record)
        try writer.add(list: [one, one], to: "As")
        let second = try #require(try writer.writeBlobs())
        writer.commit()
        let grown = try empty.applying(delta: #require(second.delta))
        #expect(grown.recordCount("A") == 1)
        #expect(try index.updated(to: grown).ordinal(Int64(1)) == one)
        #expect(grown.listType("As")!.elements(0) == [one, one])

        try writer.beginCycle()
        let third = try #require(try writer.writeBlobs())
        writer.commit()
        let emptied = try grown.applying(delta: #require(third.delta))
        #expect(emptied.recordCount("A") == 0)
        #expect(StateDump(emptied) == StateDump(try ReadState(snapshot: third.snapshot)))
        #expect(StateDump(try emptied.applying(delta: #require(third.reverseDelta))) == StateDump(grown))
    }

    @Test func overAMillionRecords() throws {
        let schema = try Schema(parsing: "type R key(id) { id: long  name: string  group: int }")
        let writer = WriteState(schema: schema)
        let object = schema.object("R")!
        let count = 1_048_600
        func cycle(offset: Int64) throws -> CycleBlobs {
            try writer.beginCycle()
            for id in 0..<Int64(count) {
                var record = ObjectRecord(object)
                try record.set("id", .long(id &+ (id % 100 == 0 ? offset : 0)))
                try record.set("name", .string("n\(id)"))
                try record.set("group", .int(Int32(id % 1000)))
                try writer.add(record)
            }
            let blobs = try #require(try writer.writeBlobs())
            writer.commit()
            return blobs
        }
        let first = try cycle(offset: 0)
        let second = try cycle(offset: 10_000_000)
        let state = try ReadState(snapshot: first.snapshot)
        #expect(state.recordCount("R") == count)
        let index = try PrimaryKeyIndex(state, type: "R")
        let reader = state.objectType("R")!
        let name = reader.field("name")!
        let last = try #require(index.ordinal(Int64(count - 1)))
        #expect(reader.string(last, name) == "n\(count - 1)")

        let next = try state.applying(delta: #require(second.delta))
        #expect(next.recordCount("R") == count)
        #expect(next.changes("R")?.added.count == (count + 99) / 100)
        let updated = try index.updated(to: next)
        #expect(updated.ordinal(Int64(100)) == nil)
        let moved = try #require(updated.ordinal(Int64(10_000_100)))
        #expect(next.objectType("R")!.string(moved, next.objectType("R")!.field("name")!) == "n100")
        let groups = try HashIndex(next, type: "R", fields: ["group"])
        #expect(Array(groups.ordinals(Int32(7))).count == count / 1000 + (count % 1000 > 7 ? 1 : 0))
    }

    @Test func incompatibleSchemaChangesAreRefused() throws {
        let schema = try Schema(parsing: "type A { x: int  y: string }")
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        _ = try #require(try writer.writeBlobs())
        writer.commit()
        let changed = try Schema(parsing: "type A { x: long  y: string }")
        #expect(throws: WriteError.schema(.incompatibleChange(type: "A", field: "x", message: "type changes from int to long"))) {
            try writer.beginCycle(schema: changed)
        }
        let nullable = try Schema(parsing: "type A { x: int  y: string? }")
        #expect(throws: WriteError.schema(.incompatibleChange(type: "A", field: "y", message: "becomes nullable"))) {
            try writer.beginCycle(schema: nullable)
        }
    }

    @Test func addingAndRemovingFieldsAndTypesTravelsInDeltas() throws {
        let v1 = try Schema(parsing: "type A key(x) { x: int  y: string }\ntype Gone { g: int }")
        let v2 = try Schema(parsing: "type A key(x) { x: int  y: string  z: double? }\ntype New { n: long }")
        let writer = WriteState(schema: v1)
        try writer.beginCycle()
        for x in 0..<5 {
            var record = ObjectRecord(v1.object("A")!)
            try record.set("x", .int(Int32(x)))
            try record.set("y", .string("y\(x)"))
            try writer.add(record)
        }
        var gone = ObjectRecord(v1.object("Gone")!)
        try gone.set("g", .int(9))
        try writer.add(gone)
        let first = try #require(try writer.writeBlobs())
        writer.commit()

        try writer.beginCycle(schema: v2)
        for x in 0..<6 {
            var record = ObjectRecord(v2.object("A")!)
            try record.set("x", .int(Int32(x)))
            try record.set("y", .string("y\(x)"))
            try record.set("z", x == 2 ? .double(2.5) : nil)
            try writer.add(record)
        }
        var new = ObjectRecord(v2.object("New")!)
        try new.set("n", .long(-1))
        try writer.add(new)
        let second = try #require(try writer.writeBlobs())
        writer.commit()

        let old = try ReadState(snapshot: first.snapshot)
        let updated = try old.applying(delta: #require(second.delta))
        #expect(updated.schema == v2)
        #expect(StateDump(updated) == StateDump(try ReadState(snapshot: second.snapshot)))
        let index = try PrimaryKeyIndex(updated, type: "A")
        let a = updated.objectType("A")!
        #expect(a.double(try #require(index.ordinal(Int32(2))), a.field("z")!) == 2.5)
        let back = try updated.applying(delta: #require(second.reverseDelta))
        #expect(back.schema == v1)
        #expect(StateDump(back) == StateDump(old))
    }

    @Test func rollbackKeepsTheNextCycleADeltaFromTheCommittedState() throws {
        let schema = try Schema(parsing: "type A { x: int }")
        let writer = WriteState(schema: schema)
        func cycle(_ values: [Int32]) throws -> CycleBlobs? {
            try writer.beginCycle()
            for value in values {
                var record = ObjectRecord(schema.object("A")!)
                try record.set("x", .int(value))
                try writer.add(record)
            }
            return try writer.writeBlobs()
        }
        let first = try #require(try cycle([1, 2, 3]))
        writer.commit()
        _ = try #require(try cycle([4, 5]))
        writer.rollback()
        let third = try #require(try cycle([1, 2, 6]))
        writer.commit()
        #expect(third.originStateID == first.stateID)
        let state = try ReadState(snapshot: first.snapshot).applying(delta: #require(third.delta))
        #expect(StateDump(state) == StateDump(try ReadState(snapshot: third.snapshot)))
    }

    @Test func duplicatePrimaryKeysAndBadReferencesAreRefused() throws {
        let schema = try Schema(parsing: "type P key(name) { name: string  age: int }\ntype M key(p.name) { p: P }")
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        var ann = ObjectRecord(schema.object("P")!)
        try ann.set("name", .string("Ann"))
        try ann.set("age", .int(1))
        try writer.add(ann)
        try ann.set("age", .int(2))
        try writer.add(ann)
        #expect(throws: WriteError.duplicatePrimaryKey(type: "P", key: "name=\"Ann\"")) { try writer.writeBlobs() }
        var movie = ObjectRecord(schema.object("M")!)
        try movie.set("p", .reference(99))
        #expect(throws: WriteError.invalidReference(type: "M", field: "p", ordinal: 99, target: "P")) { try writer.add(movie) }
        #expect(throws: WriteError.missingValue(type: "P", field: "age")) {
            var record = ObjectRecord(schema.object("P")!)
            try record.set("name", .string("Bob"))
            try writer.add(record)
        }
        #expect(throws: WriteError.typeMismatch(type: "P", field: "age", expected: .int, found: "string")) {
            var record = ObjectRecord(schema.object("P")!)
            try record.set("age", .string("x"))
        }
    }

    /// Past 65,536 records the keys are hashed a part at a time on each processor: a repeated key
    /// is found wherever its two records fall (the same part, two parts, the first and the last),
    /// with a compound key of nullable fields, and a key through a reference still one by one.
    @Test(arguments: [(1, 2), (10, 70_000), (0, 99_999), (50_000, 50_001)])
    func aRepeatedKeyAmongManyRecordsIsFoundWhereverItFalls(first: Int, second: Int) throws {
        let schema = try Schema(parsing: "type P key(name, code) { name: string  code: int?  age: int }\ntype M key(p.name) { p: P  n: int }")
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        let object = schema.object("P")!
        var records: [ObjectRecord] = []
        for index in 0..<100_000 {
            var record = ObjectRecord(object)
            let key = index == second ? first : index
            try record.set("name", .string("project-\(key)"))
            try record.set("code", key % 3 == 0 ? nil : .int(Int32(key % 7)))
            try record.set("age", .int(Int32(index)))  // the records differ: both are added
            records.append(record)
        }
        var ordinals: [Int] = []
        try writer.add(records, ordinals: &ordinals)
        let code = first % 3 == 0 ? "null" : "\(first % 7)"
        #expect(throws: WriteError.duplicatePrimaryKey(type: "P", key: "name=\"project-\(first)\", code=\(code)")) { try writer.writeBlobs() }

        // Without the repeat the same records pass; a key through a reference is checked too.
        try writer.remove(ordinal: ordinals[second], from: "P")
        var movie = ObjectRecord(schema.object("M")!)
        try movie.set("p", .reference(ordinals[first]))
        try movie.set("n", .int(1))
        try writer.add(movie)
        #expect(try writer.writeBlobs() != nil)
        try movie.set("n", .int(2))
        try writer.add(movie)
        #expect(throws: WriteError.duplicatePrimaryKey(type: "M", key: "p.name=\"project-\(first)\"")) { try writer.writeBlobs() }
    }

    /// The check's table of key hashes, split by the hashes' low bits into 1, 2, 4 or 8 parts (as
    /// many as there are processors, which a 2-core machine would not reach): every pair of equal
    /// hashes, and no other, whatever the parts. Hashes that differ only in their high bits crowd
    /// the same slots.
    @Test(arguments: [0, 1, 2, 3])
    func equalKeyHashesAreFoundWhateverTheParts(partBits: Int) {
        var rng = Xoshiro(seed: 0x4B45_5953)
        var hashes = (0..<20_000).map { _ in UInt64.random(in: 0...UInt64.max, using: &rng) }
        for index in stride(from: 0, to: hashes.count, by: 97) { hashes[index] = (hashes[index] & 0xFF) | UInt64(index % 7) << 60 }
        for _ in 0..<300 {
            let later = Int.random(in: 1..<hashes.count, using: &rng)
            hashes[later] = hashes[Int.random(in: 0..<later, using: &rng)]
        }
        var expected: [(later: Int, earlier: Int)] = []
        var seen: [UInt64: [Int]] = [:]
        for (index, hash) in hashes.enumerated() {
            for earlier in seen[hash, default: []] { expected.append((index, earlier)) }
            seen[hash, default: []].append(index)
        }
        expected.sort { $0.later != $1.later ? $0.later < $1.later : $0.earlier < $1.earlier }
        let found = WriteEngine.hashMatches(hashes, partBits: partBits)
        #expect(found.map(\.later) == expected.map(\.later) && found.map(\.earlier) == expected.map(\.earlier))
        #expect(!expected.isEmpty)
    }

    @Test func concurrentAddsDedupe() async throws {
        let schema = try Schema(parsing: "type A { x: int  s: string }")
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        let object = schema.object("A")!
        // The tasks on Swift's pool: under `.onTestThreads` they would inherit the test's one thread.
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    for value in 0..<2000 {
                        var record = ObjectRecord(object)
                        try? record.set("x", .int(Int32((value + worker) % 1000)))
                        try? record.set("s", .string("v\((value + worker) % 1000)"))
                        _ = try? writer.add(record)
                    }
                }
            }
        }
        let blobs = try #require(try writer.writeBlobs())
        #expect(try ReadState(snapshot: blobs.snapshot).recordCount("A") == 1000)
    }
}

@Suite(.onTestThreads) struct RestoreTests {
    /// A producer that restarts from the last state it announced continues the same chain; its
    /// strings stay coded as they were (the restored writer would choose otherwise).
    @Test(arguments: [StringCompression.default, .always])
    func restoredWriterContinuesTheChain(compression: StringCompression) async throws {
        await checkRestoredChains(compression: compression, dictionaries: .default)
    }

    /// The same with every string field in a dictionary: the restored writer keeps the
    /// dictionaries and their entries (it would choose none).
    @Test func restoredWriterKeepsItsDictionaries() async throws {
        await checkRestoredChains(compression: .always, dictionaries: .always)
        await checkRestoredChains(compression: .never, dictionaries: .always)
    }

    func checkRestoredChains(compression: StringCompression, dictionaries: StringDictionaries) async {
        await propertyCheck(count: 30, input: Gen.uint64(in: 0 ... .max)) { seed in
            do {
                var dataset = RandomDataset(seed: seed)
                let first = WriteState(schema: dataset.schema, stringCompression: compression, stringDictionaries: dictionaries)
                try first.beginCycle()
                _ = try dataset.populate(first)
                let blobs = try #require(try first.writeBlobs())
                first.commit()
                let announced = try ReadState(snapshot: blobs.snapshot)

                let restored = WriteState(restoring: announced, stringCompression: compression == .always ? .never : .always,
                                          stringDictionaries: dictionaries == .always ? .never : .always)
                #expect(restored.stateID == announced.stateID)
                // The same records again: nothing changed.
                try restored.beginCycle()
                var replay = RandomDataset(seed: seed)
                try replay.beginCycleAgain(restored)
                #expect(try restored.writeBlobs() == nil)
                // New records: a delta from the announced state.
                try restored.beginCycle()
                _ = try dataset.populate(restored)
                if let next = try restored.writeBlobs() {
                    restored.commit()
                    #expect(next.originStateID == announced.stateID)
                    let nextState = try ReadState(snapshot: next.snapshot)
                    for (name, type) in announced.types {
                        #expect(nextState.types[name]?.data.shards[0].pools.map(\.symbols) == type.data.shards[0].pools.map(\.symbols), "seed \(seed): \(name)'s tables")
                        #expect(nextState.types[name]?.data.shards[0].pools.map { $0.dictionary?.pools[0].symbols } == type.data.shards[0].pools.map { $0.dictionary?.pools[0].symbols },
                                "seed \(seed): \(name)'s dictionaries' tables")
                        #expect(nextState.types[name]?.data.shards[0].pools.map { $0.dictionary != nil } == type.data.shards[0].pools.map { $0.dictionary != nil },
                                "seed \(seed): \(name)'s dictionaries")
                    }
                    let followed = try announced.applying(delta: #require(next.delta))
                    #expect(StateDump(followed) == StateDump(try ReadState(snapshot: next.snapshot)))
                    #expect(StateDump(try followed.applying(delta: #require(next.reverseDelta))) == StateDump(announced))
                }
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }
}

extension RandomDataset {
    /// Populates the first cycle a dataset of this seed made (a fresh dataset replays it).
    mutating func beginCycleAgain(_ state: WriteState) throws {
        _ = try populate(state)
    }
}

@Suite(.onTestThreads) struct OrdinalCountTests {
    static let schema = try! Schema(parsing: "type A { x: long }")

    static func cycle(_ writer: WriteState, _ values: some Sequence<Int64>) throws -> CycleBlobs? {
        try writer.beginCycle()
        for value in values {
            var record = ObjectRecord(schema.object("A")!)
            try record.set("x", .long(value))
            try writer.add(record)
        }
        return try writer.writeBlobs()
    }

    /// A state that drops its highest ordinals, then gets them back by a small reverse delta, and a
    /// small delta after a large dropped cycle: neither may need room a reader would refuse.
    @Test func smallBlobsNeverClaimLargeEmptyRanges() throws {
        let writer = WriteState(schema: Self.schema)
        let big = try #require(try Self.cycle(writer, 0..<200_000))
        writer.commit()
        let small = try #require(try Self.cycle(writer, [0, 1]))
        writer.commit()
        let state = try ReadState(snapshot: big.snapshot).applying(delta: #require(small.delta))
        #expect(state.recordCount("A") == 2)
        let back = try state.applying(delta: #require(small.reverseDelta))
        #expect(back.recordCount("A") == 200_000)

        _ = try #require(try Self.cycle(writer, 0..<300_000))
        writer.rollback()
        let after = try #require(try Self.cycle(writer, [0, 1, 2]))
        writer.commit()
        #expect(after.delta!.count < 1000)
        let next = try state.applying(delta: #require(after.delta))
        #expect(StateDump(next) == StateDump(try ReadState(snapshot: after.snapshot)))
    }

    @Test func tooManyColumnsIsASchemaError() throws {
        let fields = (0..<128).map { "f\($0): int?" }.joined(separator: " ")
        #expect(throws: SchemaError.self) { try Schema(parsing: "type Wide { \(fields) }") }
        let fits = (0..<255).map { "f\($0): int" }.joined(separator: " ")
        _ = try Schema(parsing: "type Wide { \(fits) }")
    }
}
