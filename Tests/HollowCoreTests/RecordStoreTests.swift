import PropertyBased
import Testing
import TestThreads

@testable import HollowCore

// Tests of the write state's raw storage: RecordStore (byte arena + open-addressing dedup table),
// EncodingWriter, and TypeWriteState against the Dictionary-based implementation it replaced.

// MARK: - Helpers

private func insert(_ store: inout RecordStore, _ bytes: [UInt8], at ordinal: Int) {
    bytes.withUnsafeBytes { store.insert($0, hash: RecordStore.hash($0), at: ordinal) }
}

/// Every look-up of the tests is prefetched first, each step in turn, as a batch's are: a prefetch
/// changes nothing, and its range checks (debug builds) trap on an address outside the storage.
private func find(_ store: RecordStore, _ bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBytes { bytes in
        let hash = RecordStore.hash(bytes)
        for step in [RecordStore.PrefetchStep.slot, .record, .values] { store.prefetch(hash: hash, step) }
        return store.find(bytes, hash: hash)
    }
}

private func randomBytes(_ rng: inout Xoshiro, pool: Int) -> [UInt8] {
    // Few distinct values, so that adds find existing records; lengths 0 to 20 cross word edges.
    let seed = UInt64.random(in: 0..<UInt64(pool), using: &rng)
    var local = Xoshiro(seed: seed)
    return (0..<Int.random(in: 0...20, using: &local)).map { _ in UInt8.random(in: 0...3, using: &local) }
}

/// The TypeWriteState this storage replaced (a Dictionary from encoding to ordinal), kept as the model.
private struct ModelTypeWriteState {
    var ordinalByContent: [[UInt8]: Int] = [:]
    var contentByOrdinal: [[UInt8]?] = []
    var committed: Set<Int> = []
    var current: Set<Int> = []
    var free: [Int] = []
    var committedOrdinalCount = 0

    mutating func beginCycle() {
        for ordinal in contentByOrdinal.indices where contentByOrdinal[ordinal] != nil && !committed.contains(ordinal) { forget(ordinal) }
        free.sort(by: >)
        current = []
    }

    mutating func forget(_ ordinal: Int) {
        if let content = contentByOrdinal[ordinal] { ordinalByContent[content] = nil }
        contentByOrdinal[ordinal] = nil
        free.append(ordinal)
    }

    mutating func add(_ content: [UInt8]) -> Int {
        if let ordinal = ordinalByContent[content] {
            current.insert(ordinal)
            return ordinal
        }
        let ordinal: Int
        if let reused = free.popLast() {
            ordinal = reused
            contentByOrdinal[ordinal] = content
        } else {
            ordinal = contentByOrdinal.count
            contentByOrdinal.append(content)
        }
        ordinalByContent[content] = ordinal
        current.insert(ordinal)
        return ordinal
    }

    mutating func commit() {
        committed = current
        committedOrdinalCount = contentByOrdinal.count
    }

    mutating func rollback() {
        for ordinal in contentByOrdinal.indices where contentByOrdinal[ordinal] != nil && !committed.contains(ordinal) { forget(ordinal) }
        if contentByOrdinal.count > committedOrdinalCount {
            contentByOrdinal.removeLast(contentByOrdinal.count - committedOrdinalCount)
            free.removeAll { $0 >= committedOrdinalCount }
        }
        free.sort(by: >)
        current = committed
    }
}

private func members(_ set: OrdinalSet) -> Set<Int> {
    var result: Set<Int> = []
    set.forEach { result.insert($0) }
    return result
}

@Suite(.onTestThreads) struct RecordStoreTests {
    // MARK: RecordStore

    @Test func insertFindRemoveAndEmptyRecords() {
        var store = RecordStore()
        #expect(find(store, []) == nil)
        insert(&store, [], at: 0)
        insert(&store, [1, 2, 3], at: 1)
        store.appendEmpty()
        insert(&store, [0], at: 3)
        #expect(find(store, []) == 0)
        #expect(find(store, [1, 2, 3]) == 1)
        #expect(find(store, [0]) == 3)
        #expect(find(store, [0, 0]) == nil)
        #expect(store.content(2) == nil)
        #expect(store.content(0) == [])
        #expect(store.ordinalCount == 4 && store.recordCount == 3)
        store.remove(1)
        #expect(find(store, [1, 2, 3]) == nil)
        #expect(store.content(1) == nil)
        #expect(store.garbage == 3)
        insert(&store, [9, 9], at: 1)
        #expect(find(store, [9, 9]) == 1)
        #expect(store._invariantViolation() == nil)
        store.remove(3)
        store.remove(2)  // no record: nothing happens
        store.truncate(to: 3)
        #expect(store.ordinalCount == 3)
        #expect(store._invariantViolation() == nil)
    }

    @Test(arguments: [(records: 0, bytes: 0), (10, 100), (5_000, 1 << 16), (50_000, 1 << 22), (8_000, 1 << 17)])
    func reservingRoomChangesNothingButRoom(records: Int, bytes: Int) {
        // Room made before, between and after inserts: every look-up and invariant as without it.
        var store = RecordStore()
        store.reserveCapacity(records: records, bytes: bytes)
        #expect(store.arena.capacity >= bytes && store.entries.capacity >= records && store.slots.count >= 2 * records)
        #expect(store._invariantViolation() == nil)
        let (reservedSlots, reservedArena) = (store.slots.count, store.arena.capacity)
        for ordinal in 0..<3_000 { insert(&store, Array("record \(ordinal)".utf8), at: ordinal) }
        if records >= 6_000 && bytes >= 6_000 * 16 {
            #expect(store.slots.count == reservedSlots && store.arena.capacity == reservedArena, "what was reserved is used, not grown")
        }
        store.reserveCapacity(records: records, bytes: bytes)
        for ordinal in 3_000..<6_000 { insert(&store, Array("record \(ordinal)".utf8), at: ordinal) }
        store.remove(17)
        #expect(store._invariantViolation() == nil)
        for ordinal in 0..<6_000 { #expect(find(store, Array("record \(ordinal)".utf8)) == (ordinal == 17 ? nil : ordinal)) }
    }

    @Test func hashesDifferByLengthAndContent() {
        let inputs: [[UInt8]] = [[], [0], [0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0], [1], Array(0...40)]
        let hashes = inputs.map { $0.withUnsafeBytes { RecordStore.hash($0) } }
        #expect(Set(hashes).count == inputs.count)
        // Deterministic: the same bytes hash the same wherever they lie.
        let shifted: [UInt8] = [7] + Array(0...40)
        let again = shifted.withUnsafeBytes { RecordStore.hash(UnsafeRawBufferPointer(rebasing: $0[1...])) }
        #expect(again == hashes.last)
    }

    @Test(arguments: [UInt64(0), 1, 3, 0xFFFF_0000_0000_0001, .max])
    func growthAndCollisions(hashMask: UInt64) {
        // A narrow mask sends every record to a handful of hashes and homes: every look-up walks
        // long runs and compares bytes; removal shifts entries back across them.
        var store = RecordStore()
        store.hashMask = hashMask
        let count = hashMask == .max ? 20_000 : 600
        for ordinal in 0..<count { insert(&store, Array("record \(ordinal)".utf8), at: ordinal) }
        #expect(store._invariantViolation() == nil)
        for ordinal in stride(from: 0, to: count, by: 3) { store.remove(ordinal) }
        #expect(store._invariantViolation() == nil)
        for ordinal in 0..<count {
            #expect(find(store, Array("record \(ordinal)".utf8)) == (ordinal % 3 == 0 ? nil : ordinal))
        }
        for ordinal in stride(from: 0, to: count, by: 3) { insert(&store, Array("again \(ordinal)".utf8), at: ordinal) }
        #expect(store._invariantViolation() == nil)
        #expect(find(store, Array("again 3".utf8)) == 3)
    }

    @Test func recordsLongerThanTheSlotLengthField() {
        // Lengths from 0xFFFF up are read from the entry, not the slot.
        var store = RecordStore()
        store.hashMask = 0  // all in one run: every look-up compares lengths and bytes
        let lengths = [0xFFFE, 0xFFFF, 0x10000, 70_000, 70_000]
        for (ordinal, length) in lengths.enumerated() {
            insert(&store, [UInt8](repeating: 1, count: length - 1) + [UInt8(ordinal)], at: ordinal)
        }
        #expect(store._invariantViolation() == nil)
        for (ordinal, length) in lengths.enumerated() {
            #expect(find(store, [UInt8](repeating: 1, count: length - 1) + [UInt8(ordinal)]) == ordinal)
            #expect(find(store, [UInt8](repeating: 1, count: length - 1) + [9]) == nil)
        }
        store.remove(1)
        store.remove(3)
        #expect(store._invariantViolation() == nil)
        #expect(find(store, [UInt8](repeating: 1, count: 69_999) + [4]) == 4)
    }

    @Test func compactionKeepsOrdinalsAndBytes() {
        var store = RecordStore()
        let record = [UInt8](repeating: 7, count: 100)
        for ordinal in 0..<200 { insert(&store, record + [UInt8(ordinal)], at: ordinal) }
        let before = store.arena.count
        for ordinal in 0..<150 { store.remove(ordinal) }
        // More garbage than live bytes (and over 4 KiB): the arena was rewritten.
        #expect(store.arena.count < before)
        #expect(store.garbage <= store.liveBytes)
        #expect(store._invariantViolation() == nil)
        for ordinal in 150..<200 { #expect(store.content(ordinal) == record + [UInt8(ordinal)]) }
    }

    @Test func behavesLikeADictionary() async {
        await propertyCheck(count: 150, input: Gen.uint64(), Gen.int(in: 0...3)) { seed, maskChoice in
            var rng = Xoshiro(seed: seed)
            var store = RecordStore()
            store.hashMask = [UInt64.max, 0, 7, 0xF000_0000_0000_0000][maskChoice]
            var model: [[UInt8]: Int] = [:]
            var byOrdinal: [[UInt8]?] = []
            for _ in 0..<300 {
                if Int.random(in: 0..<4, using: &rng) == 0, let ordinal = byOrdinal.indices.randomElement(using: &rng) {
                    if let content = byOrdinal[ordinal] { model[content] = nil }
                    byOrdinal[ordinal] = nil
                    store.remove(ordinal)
                } else {
                    let bytes = randomBytes(&rng, pool: 80)
                    #expect(find(store, bytes) == model[bytes])
                    if model[bytes] == nil {
                        let ordinal = byOrdinal.firstIndex { $0 == nil } ?? byOrdinal.count
                        insert(&store, bytes, at: ordinal)
                        if ordinal == byOrdinal.count { byOrdinal.append(bytes) } else { byOrdinal[ordinal] = bytes }
                        model[bytes] = ordinal
                    }
                }
            }
            #expect(store._invariantViolation() == nil)
            for (bytes, ordinal) in model { #expect(find(store, bytes) == ordinal) }
            for ordinal in byOrdinal.indices { #expect(store.content(ordinal) == byOrdinal[ordinal]) }
        }
    }

    // MARK: Records kept in their storage

    @Test func recordsKeptInTheirStorageBehaveLikeTheDictionaryModel() async throws {
        // Cycles written as a producer writes them (the storage built, then committed or dropped):
        // a commit moves the committed records out of the arena into their storage, and every
        // later look-up, removal, reuse of an ordinal and rollback must see the same records.
        let object = ObjectSchema("T", fields: [FieldSchema("a", .int), FieldSchema("b", .string, nullable: true)])
        func encoding(_ value: Int) throws -> [UInt8] {
            var record = ObjectRecord(object)
            try record.set(fieldAt: 0, .int(Int32(value % 7)))
            try record.set(fieldAt: 1, value % 5 == 0 ? nil : .string(String(repeating: "s", count: value % 11) + "\(value)"))
            return try record.encoded()
        }
        await propertyCheck(count: 80, input: Gen.uint64(), Gen.int(in: 0...2)) { seed, maskChoice in
            var rng = Xoshiro(seed: seed)
            var state = TypeWriteState(schema: .object(object), hashMask: [UInt64.max, 3, 0][maskChoice])
            var model = ModelTypeWriteState()
            for _ in 0..<200 {
                switch Int.random(in: 0..<16, using: &rng) {
                case 0:
                    state.beginCycle()
                    model.beginCycle()
                case 1, 2:
                    // Written and committed: the records move to the storage.
                    _ = state.nextData(continuing: true, added: state.added, removed: state.removed, addedRecords: nil)
                    state.commit()
                    model.commit()
                case 3:
                    // Written, then dropped.
                    _ = state.nextData(continuing: true, added: state.added, removed: state.removed, addedRecords: nil)
                    state.rollback()
                    model.rollback()
                case 4:
                    state.keepCommitted()
                    model.current = model.committed
                case 5:
                    let ordinal = Int.random(in: 0...max(0, model.contentByOrdinal.count), using: &rng)
                    state.remove(ordinal)
                    model.current.remove(ordinal)
                default:
                    let bytes = (try? encoding(Int.random(in: 0..<60, using: &rng))) ?? []
                    #expect((try? state.add(bytes)) == model.add(bytes))
                }
                #expect(state.ordinalCount == model.contentByOrdinal.count)
                #expect(members(state.current) == model.current)
            }
            #expect(state.records._invariantViolation() == nil)
            #expect(members(state.committed) == model.committed)
            for ordinal in 0...model.contentByOrdinal.count {
                #expect(state.content(ordinal) == (ordinal < model.contentByOrdinal.count ? model.contentByOrdinal[ordinal] : nil))
            }
            for value in 0..<60 {
                let bytes = (try? encoding(value)) ?? []
                #expect((try? state.add(bytes)) == model.add(bytes))
            }
        }
        // The store really holds committed records in the storage, and gave the arena back.
        func distinct(_ value: Int) throws -> [UInt8] {
            var record = ObjectRecord(object)
            try record.set(fieldAt: 0, .int(Int32(value)))
            try record.set(fieldAt: 1, .string("value \(value)"))
            return try record.encoded()
        }
        var state = TypeWriteState(schema: .object(object))
        for value in 0..<500 { _ = try state.add(try distinct(value)) }
        _ = state.nextData(continuing: true, added: state.added, removed: [], addedRecords: nil)
        state.commit()
        #expect(state.records.storedBytes > 0 && state.records.liveBytes == 0 && state.records.arena.capacity == 0)
        #expect(state.records._invariantViolation() == nil)
        // A record removed by the next cycle goes back to the arena at its commit (the storage
        // that held it is let go), and is still found until the cycle after.
        state.beginCycle()
        for value in 1..<500 { _ = try state.add(try distinct(value)) }
        _ = state.nextData(continuing: true, added: state.added, removed: state.removed, addedRecords: nil)
        state.commit()
        let removedBytes = try distinct(0)
        #expect(state.records.liveBytes == removedBytes.count)
        #expect(state.content(0) == removedBytes)
        #expect(state.records._invariantViolation() == nil)
    }

    @Test(arguments: [false, true])
    func aBuildThatGivesTheArenaBackBuildsTheSameStorage(withAHole: Bool) throws {
        // Enough records for a part a processor and many pages of arena: the build that gives the
        // arena's pages back as it reads them (the state's records move to it at once) builds what
        // a build from the whole arena builds. With a record removed before, the arena is not in
        // ordinal order without garbage, and nothing is given back.
        let object = ObjectSchema("T", fields: [FieldSchema("id", .int), FieldSchema("text", .string, nullable: true)])
        func encoding(_ value: Int) throws -> [UInt8] {
            var record = ObjectRecord(object)
            try record.set(fieldAt: 0, .int(Int32(value)))
            try record.set(fieldAt: 1, value % 9 == 0 ? nil : .string("record \(value) " + String(repeating: "x", count: value % 40)))
            return try record.encoded()
        }
        var released = TypeWriteState(schema: .object(object))
        var whole = TypeWriteState(schema: .object(object))
        for value in 0..<80_000 {
            _ = try released.add(try encoding(value))
            _ = try whole.add(try encoding(value))
        }
        if withAHole {
            released.remove(5)
            whole.remove(5)
            released.commit()
            released.beginCycle()
            for value in 0..<80_000 where value != 5 { _ = try released.add(try encoding(value)) }
        }
        #expect(released.records.arena.count > 1 << 21)
        let expected = whole.data(of: released.current, ordinalCount: released.ordinalCount)
        let built = released.nextData(continuing: false, added: released.added, removed: released.removed, addedRecords: nil)
        #expect(built._recordsDiffer(from: expected, schema: .object(object), plan: released.plan) == nil)
        #expect(released.records.liveBytes == 0 || withAHole)
        #expect(released.records._invariantViolation() == nil)
        for value in [0, 1, 4_095, 40_000, 79_999] where !(withAHole && value == 5) {
            #expect(released.content(value) == (try encoding(value)))
        }
    }

    @Test func aStateAdoptedInPartsFindsEveryRecordItHolds() throws {
        // Enough records for a part a processor (`adopt` makes the encodings in parts, one per
        // `minimumOrdinalsPerBuildPart`), with ordinals left empty by removals: every record is
        // found at its ordinal, from its encoding, and none of the empty ordinals holds one.
        let schema = try Schema(parsing: "type T { id: int  text: string? }")
        let object = schema.object("T")!
        let count = 2 * TypeWriteState.minimumOrdinalsPerBuildPart + 5_000
        func record(_ value: Int) throws -> ObjectRecord {
            var record = ObjectRecord(object)
            try record.set(fieldAt: 0, .int(Int32(value)))
            try record.set(fieldAt: 1, value % 9 == 0 ? nil : .string("record \(value) " + String(repeating: "x", count: value % 40)))
            return record
        }
        let writer = WriteState(schema: schema)
        var ordinals: [Int: Int] = [:]
        for round in 0..<2 {
            try writer.beginCycle()
            for value in 0..<count where round == 0 || value % 7 != 3 { ordinals[value] = try writer.add(try record(value)) }
            _ = try #require(try writer.writeBlobs())
            if round == 0 { writer.commit() }
        }
        let state = try ReadState(snapshot: try #require(try writer.writeBlobs()).snapshot, shardBits: ReadState.unsharded)
        var store = RecordStore()
        store.adopt(try #require(state.types["T"]))
        #expect(store._invariantViolation() == nil)
        #expect(store.recordCount == state.recordCount("T"))
        for value in 0..<count {
            #expect(find(store, try record(value).encoded()) == (value % 7 == 3 ? nil : ordinals[value]))
        }
    }

    // MARK: EncodingWriter

    @Test func encodingWriterMatchesVarintAppend() async {
        await propertyCheck(count: 300, input: Gen.uint64().array(of: 0...20)) { values in
            var expected: [UInt8] = []
            for value in values { Varint.append(value, to: &expected) }
            #expect(expected.count <= values.count * EncodingWriter.maximumVarintBytes)
            var buffer = [UInt8](repeating: 0, count: values.count * EncodingWriter.maximumVarintBytes)
            let written = buffer.withUnsafeMutableBytes { raw in
                var writer = EncodingWriter(raw)
                for value in values {
                    let before = writer.count
                    writer.varint(value)
                    #expect(writer.count - before == EncodingWriter.varintBytes(value))
                }
                return Array(writer.bytes)
            }
            #expect(written == expected)
        }
    }

    @Test func encodedRecordsKeepTheirCanonicalBytes() throws {
        let object = ObjectSchema("T", fields: [
            FieldSchema("a", .int), FieldSchema("b", .string, nullable: true), FieldSchema("c", .bytes),
            FieldSchema("d", .double, nullable: true), FieldSchema("e", .bool), FieldSchema("f", .long),
        ])
        var record = ObjectRecord(object)
        try record.set("a", .int(-3))
        try record.set("b", .string("héllo"))
        try record.set("c", .bytes([1, 2, 200]))
        try record.set("e", .bool(true))
        try record.set("f", .long(Int64.min))
        var expected: [UInt8] = []
        Varint.append(ZigZag.encode(-3), to: &expected)
        expected.append(1)
        Varint.append(6, to: &expected)
        expected += Array("héllo".utf8)
        expected += [3, 1, 2, 200]
        expected.append(0)  // d is null
        expected.append(1)
        Varint.append(ZigZag.encode(Int64.min), to: &expected)
        #expect(try record.encoded() == expected)
        #expect(record.encodedByteBound >= expected.count)
    }

    @Test func aReusedRecordAddsLikeFreshOnes() throws {
        let schema = try Schema(parsing: "type T { a: int\n b: string? }")
        let object = schema.object("T")!
        let reused = WriteState(schema: schema), fresh = WriteState(schema: schema)
        try reused.beginCycle()
        try fresh.beginCycle()
        var record = ObjectRecord(object)
        for index in 0..<50 {
            try record.set(fieldAt: 0, .int(Int32(index % 7)))
            try record.set(fieldAt: 1, index % 3 == 0 ? nil : .string("s\(index % 5)"))
            var other = ObjectRecord(object)
            try other.set(fieldAt: 0, .int(Int32(index % 7)))
            try other.set(fieldAt: 1, index % 3 == 0 ? nil : .string("s\(index % 5)"))
            #expect(try reused.add(record) == fresh.add(other))
        }
    }

    // MARK: TypeWriteState against the Dictionary model

    @Test func typeWriteStateBehavesLikeTheDictionaryModel() async {
        await propertyCheck(count: 120, input: Gen.uint64(), Gen.int(in: 0...2)) { seed, maskChoice in
            var rng = Xoshiro(seed: seed)
            var state = TypeWriteState(schema: .list(name: "L", element: "E"), hashMask: [UInt64.max, 3, 0][maskChoice])
            var model = ModelTypeWriteState()
            for _ in 0..<250 {
                switch Int.random(in: 0..<20, using: &rng) {
                case 0:
                    state.beginCycle()
                    model.beginCycle()
                case 1:
                    state.commit()
                    model.commit()
                case 2:
                    state.rollback()
                    model.rollback()
                case 3:
                    state.keepCommitted()
                    model.current = model.committed
                case 4, 5:
                    let ordinal = Int.random(in: 0...max(0, model.contentByOrdinal.count), using: &rng)
                    state.remove(ordinal)
                    model.current.remove(ordinal)
                default:
                    let bytes = randomBytes(&rng, pool: 40)
                    #expect((try? state.add(bytes)) == model.add(bytes))
                }
                #expect(state.ordinalCount == model.contentByOrdinal.count)
                #expect(members(state.current) == model.current)
            }
            #expect(state.records._invariantViolation() == nil)
            #expect(members(state.committed) == model.committed)
            #expect(state.committedOrdinalCount == model.committedOrdinalCount)
            for ordinal in 0...model.contentByOrdinal.count {
                #expect(state.content(ordinal) == (ordinal < model.contentByOrdinal.count ? model.contentByOrdinal[ordinal] : nil))
            }
            // The next adds reuse the same free ordinals, lowest first.
            for _ in 0..<10 {
                let bytes = [UInt8](repeating: 9, count: Int.random(in: 30...40, using: &rng))
                #expect((try? state.add(bytes)) == model.add(bytes))
            }
        }
    }
}
