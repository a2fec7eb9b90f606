import PropertyBased
import Testing
import TestThreads
@testable import HollowCore

/// Which fields the writer stores in a dictionary, what a dictionary saves, how its entries move
/// along a chain, and deltas whose entries do not hold.
@Suite(.onTestThreads) struct DictionaryTests {
    static let schema = try! Schema(parsing: "type Package key(name) { name: string  section: string?  maintainer: string }")
    static let sections = ["admin", "devel", "libs", "net", "python", "utils", "web", "x11"]

    /// `count` packages: unique names, eight sections (every 10th null), `maintainers` maintainers
    /// of about 30 bytes.
    static func populate(_ writer: WriteState, count: Int, maintainers: Int, cycle: Int = 0) throws {
        for index in 0..<count {
            var package = ObjectRecord(schema.object("Package")!)
            try package.set("name", .string("package-\(index)"))
            try package.set("section", index % 10 == 0 ? nil : .string(sections[(index + cycle) % sections.count]))
            try package.set("maintainer", .string("Maintainer \((index * 7 + cycle) % maintainers) <m@example.org>"))
            try writer.add(package)
        }
    }

    static func state(count: Int, maintainers: Int, dictionaries: StringDictionaries = .default) throws -> (ReadState, [UInt8]) {
        let writer = WriteState(schema: schema, stringCompression: .never, stringDictionaries: dictionaries)
        try writer.beginCycle()
        try populate(writer, count: count, maintainers: maintainers)
        let blobs = try #require(try writer.writeBlobs())
        writer.commit()
        return (try ReadState(snapshot: blobs.snapshot), blobs.snapshot)
    }

    @Test func theWriterKeepsADictionaryForAFieldOfRepeatedValuesOnly() throws {
        // 5,000 packages: sections (about 32 KB with their end offsets) and maintainers (about
        // 170 KB) repeat, the names do not. A version-4 blob.
        let (state, blob) = try Self.state(count: 5_000, maintainers: 40)
        let data = state.types["Package"]!.data.shards[0]
        #expect(data.pools.map { $0.dictionary != nil } == [false, true, true])
        #expect(data.pools[1].dictionary?.populatedCount == 8)
        #expect(data.pools[2].dictionary?.populatedCount == 40)
        #expect(try CodedPoolTests.version(blob) == 4)
        // 40 maintainers need 6 bits a record instead of an end offset and 30 bytes.
        let (plain, plainBlob) = try Self.state(count: 5_000, maintainers: 40, dictionaries: .never)
        #expect(state.memory.totalBytes * 2 < plain.memory.totalBytes, "\(state.memory.totalBytes) of \(plain.memory.totalBytes)")
        #expect(try CodedPoolTests.version(plainBlob) == 2)
        #expect(StateDump(state) == StateDump(plain))
        // A maintainer per package: no dictionary for them (it would save nothing).
        let (unique, _) = try Self.state(count: 5_000, maintainers: 5_000)
        #expect(unique.types["Package"]!.data.shards[0].pools.map { $0.dictionary != nil } == [false, true, false])
        // Too small to matter (under 16 KiB a field): none.
        let (small, _) = try Self.state(count: 200, maintainers: 4)
        #expect(small.types["Package"]!.data.shards[0].pools.allSatisfy { $0.dictionary == nil })
    }

    @Test func readsAndIndexesGoThroughTheDictionary() throws {
        let (state, _) = try Self.state(count: 2_000, maintainers: 40, dictionaries: .always)
        let packages = try #require(state.objectType("Package"))
        let (section, maintainer) = (try #require(packages.field("section")), try #require(packages.field("maintainer")))
        #expect(packages.string(0, section) == nil)
        #expect(packages.string(13, section) == Self.sections[13 % 8])
        #expect(packages.string(13, maintainer) == "Maintainer \(13 * 7 % 40) <m@example.org>")
        let bytes = Array("Maintainer \(13 * 7 % 40) <m@example.org>".utf8)
        #expect(bytes.withUnsafeBytes { packages.bytesEqual(13, maintainer, $0) })
        #expect(!bytes.withUnsafeBytes { packages.bytesEqual(14, maintainer, $0) })
        // The primary key is in a dictionary too (with `.always`), and an index on a repeated field.
        let index = try PrimaryKeyIndex(state, type: "Package")
        #expect(index.ordinal("package-1234") == 1_234)
        #expect(index.ordinal("package-2000") == nil)
        let bySection = try HashIndex(state, type: "Package", fields: ["section"])
        // Sections of index % 8 == 2, less every 10th (null): 250 - 50.
        #expect(Array(bySection.ordinals(matching: [.string("libs")])).count == 200)
    }

    /// Entries of values no record holds any more leave the dictionary, and are reused a cycle
    /// later; the entries of values still held never move.
    @Test func entriesAreFreedAndReusedAlongTheChain() throws {
        let writer = WriteState(schema: Self.schema, stringCompression: .never, stringDictionaries: .always)
        var states: [ReadState] = []
        var blobs: [CycleBlobs] = []
        for cycle in 0..<4 {
            try writer.beginCycle()
            try Self.populate(writer, count: 200, maintainers: 10 + cycle * 5, cycle: cycle)
            let written = try #require(try writer.writeBlobs())
            writer.commit()
            blobs.append(written)
            states.append(try ReadState(snapshot: written.snapshot))
        }
        var followed = states[0]
        for (index, written) in blobs.enumerated().dropFirst() {
            followed = try followed.applying(delta: #require(written.delta))
            #expect(StateDump(followed) == StateDump(states[index]), "delta \(index)")
            let dictionary = try #require(followed.types["Package"]!.data.shards[0].pools[2].dictionary)
            #expect(dictionary.populatedCount == 10 + index * 5)
        }
        for (index, written) in blobs.enumerated().dropFirst().reversed() {
            followed = try followed.applying(delta: #require(written.reverseDelta))
            #expect(StateDump(followed) == StateDump(states[index - 1]), "reverse delta \(index)")
        }
        // A value held in two states in a row keeps its entry.
        let column = states[0].types["Package"]!.plan.fields[2].valueColumn
        let entries = states.map { state in
            let packages = state.objectType("Package")!
            let maintainer = packages.field("maintainer")!
            var entries: [String: UInt64] = [:]
            for ordinal in packages.ordinals { entries[packages.string(ordinal, maintainer)!] = state.types["Package"]!.data.value(ordinal, column) }
            return entries
        }
        for (older, newer) in zip(entries, entries.dropFirst()) {
            #expect(newer.count > older.count)
            for (value, entry) in older { if let kept = newer[value] { #expect(kept == entry, "\(value)") } }
        }
    }

    /// A delta's records must hold entries of the dictionary as the delta leaves it, and keep
    /// what the records it does not touch hold.
    @Test func deltasWhoseEntriesDoNotHoldAreRefused() throws {
        let (state, blob) = try Self.state(count: 2_000, maintainers: 40, dictionaries: .always)
        let type = state.types["Package"]!
        let plan = type.plan
        let dictionary = try #require(type.data.shards[0].pools[2].dictionary)
        func delta(entry: Int, removingEntry: Int?) -> TypeDataDelta {
            // (A column holds the entry plus one.)
            var builder = TypeDataBuilder(plan: plan, dictionaries: [{ _ in 1 }, { _ in 1 }, { _ in entry + 1 }])
            var record = ObjectRecord(Self.schema.object("Package")!)
            try! record.set("name", .string("package-new"))
            try! record.set("section", .string("libs"))
            try! record.set("maintainer", .string("anyone"))
            builder.append(try! record.encoded())
            var added = builder.build()
            let empty = TypeDataBuilder(plan: .dictionary).build()
            for pool in 0..<3 {
                let pools = type.data.shards[0].pools[pool].dictionary!
                let removed = pool == 2 ? removingEntry.map { [$0] } ?? [] : []
                added.pools[pool].dictionaryChange = TypeDataDelta(ordinalCount: pools.ordinalCount, removed: removed, added: [], addedRecords: empty)
            }
            return TypeDataDelta(ordinalCount: type.data.ordinalCount + 1, removed: [], added: [type.data.ordinalCount], addedRecords: added)
        }
        var budget = Int.max
        // An entry the dictionary holds: applies.
        _ = try type.data.applying(delta(entry: 3, removingEntry: nil), plan: plan, type: "Package", growthBudget: &budget)
        // An entry past it, or one the delta removes: refused.
        #expect(throws: BlobError.self) {
            try type.data.applying(delta(entry: dictionary.ordinalCount, removingEntry: nil), plan: plan, type: "Package", growthBudget: &budget)
        }
        // An entry a record it keeps still holds, removed: refused.
        #expect(throws: BlobError.self) {
            try type.data.applying(delta(entry: 3, removingEntry: 5), plan: plan, type: "Package", growthBudget: &budget)
        }
        // The same in shards of 64 ordinals, where the records that still hold entry 5 lie in
        // shards the delta leaves alone.
        let sharded = try ReadState(snapshot: blob, shardBits: 6).types["Package"]!.data
        _ = try sharded.applying(delta(entry: 3, removingEntry: nil), plan: plan, type: "Package", growthBudget: &budget)
        #expect(throws: BlobError.self) {
            try sharded.applying(delta(entry: 3, removingEntry: 5), plan: plan, type: "Package", growthBudget: &budget)
        }
        // An entry removed and added again in one change (with another value, under every record
        // that holds it, none of them listed as changed): refused, as any ordinal a delta reuses.
        var reuse = TypeDataBuilder(plan: plan, dictionaries: [{ _ in 1 }, { _ in 1 }, { _ in 1 }]).build()
        var other = TypeDataBuilder(plan: .dictionary)
        other.append(Array([5] + "other".utf8))
        for pool in 0..<3 {
            let count = type.data.shards[0].pools[pool].dictionary!.ordinalCount
            reuse.pools[pool].dictionaryChange = pool == 2
                ? TypeDataDelta(ordinalCount: count, removed: [0], added: [0], addedRecords: other.build())
                : TypeDataDelta(ordinalCount: count, removed: [], added: [], addedRecords: TypeDataBuilder(plan: .dictionary).build())
        }
        #expect(throws: BlobError.self) {
            try type.data.applying(TypeDataDelta(ordinalCount: type.data.ordinalCount, removed: [], added: [], addedRecords: reuse),
                                   plan: plan, type: "Package", growthBudget: &budget)
        }
        // A delta coded by a dictionary, on a state without: refused.
        let (plain, _) = try Self.state(count: 2_000, maintainers: 40, dictionaries: .never)
        #expect(throws: BlobError.self) {
            try plain.types["Package"]!.data.applying(delta(entry: 3, removingEntry: nil), plan: plan, type: "Package", growthBudget: &budget)
        }
    }

    /// Damaged bytes anywhere in a snapshot or delta with dictionaries (their values coded or not)
    /// give an error, or a state every record of which reads; never a crash.
    @Test func damagedDictionaryBlobsGiveAnErrorNeverACrash() async throws {
        var chains: [(snapshot: [UInt8], delta: [UInt8], origin: ReadState)] = []
        for compression in [StringCompression.never, .always] {
            let writer = WriteState(schema: Self.schema, stringCompression: compression, stringDictionaries: .always)
            var blobs: [CycleBlobs] = []
            for cycle in 0..<2 {
                try writer.beginCycle()
                try Self.populate(writer, count: 60, maintainers: 5 + cycle * 3, cycle: cycle)
                blobs.append(try #require(try writer.writeBlobs()))
                writer.commit()
            }
            chains.append((try BlobFrame.unwrap(blobs[0].snapshot), try BlobFrame.unwrap(#require(blobs[1].delta)),
                           try ReadState(snapshot: blobs[0].snapshot)))
        }
        let damageable = chains
        await propertyCheck(count: 400, input: Gen.uint64(in: 0 ... .max)) { seed in
            var random = SplitMix64(seed: seed)
            let chain = damageable[Int(random.next() % 2)]
            let isDelta = random.next() % 2 == 0
            var content = isDelta ? chain.delta : chain.snapshot
            for _ in 0..<(1 + random.next() % 3) {
                content[Int(random.next() % UInt64(content.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            let blob = BlobFrame.wrap(content)
            let state = isDelta ? try? chain.origin.applying(delta: blob) : try? ReadState(snapshot: blob)
            if let state { _ = StateDump(state) }
        }
    }
}
