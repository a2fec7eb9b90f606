import Foundation
import Testing
import TestThreads

@testable import HollowCore

/// The invariant checks (`_invariantViolation`) pass on real structures and catch broken ones;
/// published storage refuses writes.
@Suite(.onTestThreads) struct InvariantTests {
    static let schema = try! Schema(parsing: """
        type Person key(name) { name: string  born: int? }
        list Cast of Person
        type Movie key(id) { id: long  title: string  cast: Cast }
        """)

    /// A state of a few people and movies, some removed by a second cycle (so there are holes).
    static func catalog() throws -> (first: ReadState, second: ReadState) {
        let writer = WriteState(schema: schema)
        var states: [ReadState] = []
        for cycle in 0..<2 {
            try writer.beginCycle()
            var people: [Int] = []
            for index in 0..<(10 - cycle * 4) {
                var person = ObjectRecord(schema.object("Person")!)
                try person.set("name", .string("person \(index)"))
                try person.set("born", index % 3 == 0 ? nil : .int(Int32(1950 + index)))
                people.append(try writer.add(person))
            }
            for id in 0..<(8 - cycle * 3) {
                var movie = ObjectRecord(schema.object("Movie")!)
                try movie.set("id", .long(Int64(id)))
                try movie.set("title", .string("movie \(id) of cycle \(id % 2 == 0 ? 0 : cycle)"))
                try movie.set("cast", .reference(try writer.add(list: Array(people.prefix(id % 4)), to: "Cast")))
                try writer.add(movie)
            }
            let blobs = try #require(try writer.writeBlobs())
            writer.commit()
            states.append(try states.last.map { try $0.applying(delta: try #require(blobs.delta)) } ?? ReadState(snapshot: blobs.snapshot))
        }
        return (states[0], states[1])
    }

    @Test func internalChecksAreOnWhenTheEnvironmentAsksForThem() {
        let asked = ProcessInfo.processInfo.environment["HOLLOW_INTERNAL_CHECKS"].map { !$0.isEmpty && $0 != "0" } ?? false
        #expect(!asked || _internalChecksEnabled, "HOLLOW_INTERNAL_CHECKS is set, but HollowCore was built without it")
    }

    // MARK: TypeData

    @Test func loadedAndDeltaAppliedTypeDataHoldTheirInvariants() throws {
        let (first, second) = try Self.catalog()
        for state in [first, second] {
            for (name, type) in state.types {
                #expect(type.data._invariantViolation(plan: type.plan) == nil, "\(name)")
            }
        }
    }

    @Test func brokenTypeDataIsCaught() throws {
        let (_, state) = try Self.catalog()
        let movies = try #require(state.types["Movie"])
        var data = movies.data.whole
        data.populatedCount += 1
        #expect(data._invariantViolation()?.contains("populated count") == true)

        data = movies.data.whole
        data.offsets[1] += 1
        #expect(data._invariantViolation()?.contains("column 1 starts at bit") == true)

        data = movies.data.whole
        data.recordBits += 1
        #expect(data._invariantViolation() != nil)

        data = movies.data.whole
        data.widths[0] = 65
        #expect(data._invariantViolation()?.contains("65 bits") == true)

        // A pool that ends before its records do.
        data = movies.data.whole
        let titles = try #require(movies.plan.pools.firstIndex { $0.content == .bytes })
        data.pools[titles].count = 1
        #expect(data._invariantViolation(plan: movies.plan)?.contains("past its 1 units") == true)
        #expect(data._invariantViolation() == nil, "without the plan, the pools are not read")
    }

    // MARK: IndexTable

    @Test func indexTablesHoldTheirInvariantsAcrossDeltas() throws {
        let (first, second) = try Self.catalog()
        let index = try PrimaryKeyIndex(first, type: "Person")
        #expect(index.core.table._invariantViolation(hash: index.core.key.hash) == nil)
        let updated = try index.updated(to: second)
        #expect(updated.core.table._invariantViolation(hash: updated.core.key.hash) == nil)
        let byBirth = try HashIndex(second, type: "Person", fields: ["born"])
        #expect(byBirth.core.table._invariantViolation(hash: byBirth.core.key.hash) == nil)
    }

    /// A delta that takes the ordinals past what the slots' ordinal bits hold widens them in place
    /// (the tags keep their high bits): the updated index finds every key, as a fresh one does.
    @Test func anIndexFollowsOrdinalsPastItsOrdinalBits() throws {
        let schema = try Schema(parsing: "type Item key(id) { id: long  name: string }")
        let writer = WriteState(schema: schema)
        var states: [ReadState] = []
        for count in [7, 8, 40, 300, 5] {  // ordinal counts of 3, 4, 6 and 9 bits, then fewer records
            try writer.beginCycle()
            for id in 0..<count {
                var item = ObjectRecord(schema.object("Item")!)
                try item.set("id", .long(Int64(id)))
                try item.set("name", .string("item \(id)"))
                try writer.add(item)
            }
            let blobs = try #require(try writer.writeBlobs())
            writer.commit()
            states.append(try states.last.map { try $0.applying(delta: try #require(blobs.delta)) } ?? ReadState(snapshot: blobs.snapshot))
        }
        var index = try PrimaryKeyIndex(states[0], type: "Item")
        var bits = [index.core.table.ordinalBits]
        for state in states.dropFirst() {
            index = try index.updated(to: state)
            bits.append(index.core.table.ordinalBits)
            #expect(index.core.table._invariantViolation(hash: index.core.key.hash) == nil)
            let items = state.objectType("Item")!
            for ordinal in items.ordinals {
                let id = items.long(ordinal, items.field("id")!)!
                #expect(index.ordinal(id) == ordinal)
            }
            #expect(index.ordinal(Int64(1_000)) == nil)
        }
        #expect(bits == [3, 4, 6, 9, 9], "\(bits)")
    }

    @Test func brokenIndexTablesAreCaught() {
        let empty = [UInt32](repeating: 0, count: 16)
        #expect(IndexTable._invariantViolation(slots: empty, next: [0, 0], keyCount: 0, hash: nil) == nil)
        #expect(IndexTable._invariantViolation(slots: Array(repeating: 0, count: 12), next: [], keyCount: 0, hash: nil)?
            .contains("power of two") == true)
        #expect(IndexTable._invariantViolation(slots: empty, next: [], keyCount: 1, hash: nil)?.contains("0 slots in use") == true)
        var slots = empty
        slots[3] = 1  // ordinal 0
        #expect(IndexTable._invariantViolation(slots: slots, next: [0], keyCount: 1, hash: nil) == nil)
        // A chain that loops back to its head.
        #expect(IndexTable._invariantViolation(slots: slots, next: [1], keyCount: 1, hash: nil)?.contains("twice") == true)
        // An ordinal past the chains' array.
        #expect(IndexTable._invariantViolation(slots: slots, next: [2], keyCount: 1, hash: nil)?.contains("past") == true)
        // An ordinal outside every chain that still links somewhere.
        #expect(IndexTable._invariantViolation(slots: slots, next: [0, 1], keyCount: 1, hash: nil)?.contains("in no chain") == true)
        // A loop that no chain from a slot reaches: 1 -> 2 -> 1.
        #expect(IndexTable._invariantViolation(slots: slots, next: [0, 3, 2], keyCount: 1, hash: nil)?.contains("reached twice") == true)
        // With the records' keys (a table read from an image): a chain of two keys, a key in two
        // slots, an ordinal that holds no record.
        func check(_ slots: [UInt32], _ next: [UInt32], keys: Int, sameKey: @escaping (Int, Int) -> Bool, isRecord: @escaping (Int) -> Bool = { _ in true }) -> String? {
            slots.withUnsafeBufferPointer { slots in
                next.withUnsafeBufferPointer { next in
                    IndexTable._invariantViolation(slots: slots, next: next, keyCount: keys, ordinalBits: 32, hash: { _ in 3 },
                                                   isRecord: isRecord, sameKey: sameKey)
                }
            }
        }
        #expect(check(slots, [2, 0], keys: 1, sameKey: { _, _ in true }) == nil)
        #expect(check(slots, [2, 0], keys: 1, sameKey: { _, _ in false })?.contains("of another key") == true)
        var twoSlots = slots
        twoSlots[4] = 2  // ordinal 1, probed past slot 3 (home 3)
        #expect(check(twoSlots, [0, 0], keys: 2, sameKey: { $0 == $1 }) == nil)
        #expect(check(twoSlots, [0, 0], keys: 2, sameKey: { _, _ in true })?.contains("hold one key") == true)
        #expect(check(slots, [2, 0], keys: 1, sameKey: { _, _ in true }, isRecord: { $0 == 0 })?.contains("holds no record") == true)
        // A key whose home is slot 1, with an empty slot 2 before it.
        #expect(IndexTable._invariantViolation(slots: slots, next: [0], keyCount: 1, hash: { _ in 1 })?.contains("not reachable") == true)
        #expect(IndexTable._invariantViolation(slots: slots, next: [0], keyCount: 1, hash: { _ in 3 }) == nil)
        // Tags: with 1 ordinal bit, slot 3 holds ordinal 0 and the tag of hash 3 << 32 | 3.
        let hash: (Int) -> UInt64 = { _ in 3 << 32 | 3 }
        slots[3] = IndexTable.tag(hash(0), ordinalBits: 1) | 1
        #expect(slots[3] == 3)
        #expect(IndexTable._invariantViolation(slots: slots, next: [0], keyCount: 1, ordinalBits: 1, hash: hash) == nil)
        #expect(IndexTable._invariantViolation(slots: slots, next: [0], keyCount: 1, ordinalBits: 1, hash: { _ in 3 })?
            .contains("tag is not its key's") == true)
        slots[3] = 2  // a tag, ordinal bits 0
        #expect(IndexTable._invariantViolation(slots: slots, next: [0], keyCount: 1, ordinalBits: 1, hash: nil)?
            .contains("without an ordinal") == true)
        #expect(IndexTable._invariantViolation(slots: slots, next: [0, 0], keyCount: 1, ordinalBits: 1, hash: nil)?
            .contains("1 ordinal bits for 2 ordinals") == true)
        // More than half full.
        let full = (0..<16).map { UInt32($0 + 1) }
        #expect(IndexTable._invariantViolation(slots: full, next: Array(repeating: 0, count: 16), keyCount: 16, hash: nil)?
            .contains("load above one half") == true)
    }

    // MARK: RecordStore

    @Test func aRecordStoreWhoseSlotsDisagreeWithItsRecordsIsCaught() {
        var store = RecordStore()
        for value in 0..<20 {
            let bytes: [UInt8] = [UInt8(value), 1, 2]
            bytes.withUnsafeBytes { store.insert($0, hash: RecordStore.hash($0), at: value) }
        }
        #expect(store._invariantViolation() == nil)
        // The slots were placed by the records' hashes; masked, the hashes made again from the
        // records name other homes and tags.
        store.hashMask = 0xFFFF
        let violation = store._invariantViolation() ?? ""
        #expect(violation.contains("tag") || violation.contains("home"), "\(violation)")
    }

    // MARK: Frozen storage

    #if DEBUG
    @Test func publishedStorageIsFrozen() throws {
        let storage = BitStorage(bitCount: 100)
        storage.handle.write(bit: 3, width: 7, value: 0x55)
        #expect(!storage.isFrozen)
        storage.freeze()
        storage.freeze()
        #expect(storage.isFrozen)
        #expect(storage.handle.read(bit: 3, width: 7, mask: BitWidth.mask(7)) == 0x55)

        let (first, second) = try Self.catalog()
        for state in [first, second] {
            for type in state.types.values {
                #expect(type.data.shards[0].fixed.isFrozen && type.data.populated.isFrozen)
                #expect(type.data.shards.allSatisfy { $0.pools.allSatisfy { $0.storage.isFrozen } })
            }
        }
    }

    @Test func writingPublishedStorageTraps() async {
        await #expect(processExitsWith: .failure) {
            let storage = BitStorage(bitCount: 64)
            storage.freeze()
            storage.handle.write(bit: 0, width: 8, value: 1)
        }
        await #expect(processExitsWith: .failure) {
            let state = ReadState(empty: try! Schema(parsing: "type T { a: long }"))
            let data = state.types["T"]!.data.whole
            var writer = BitStreamWriter(data.fixed)
            writer.finish()
        }
    }
    #endif
}
