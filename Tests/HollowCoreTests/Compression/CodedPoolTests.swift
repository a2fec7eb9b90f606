import Testing
import TestThreads
@testable import HollowCore

/// Which pools the writer codes, the version it writes, and deltas whose records are coded unlike
/// the state they apply to.
@Suite(.onTestThreads) struct CodedPoolTests {
    static let schema = try! Schema(parsing: "type Item key(name) { name: string  note: string }")

    /// A state of `count` items whose notes are English-like text, written with `compression`.
    /// (Eight distinct notes repeat: no dictionaries here, see `DictionaryTests`.)
    static func state(_ count: Int, _ compression: StringCompression) throws -> (ReadState, [UInt8]) {
        let writer = WriteState(schema: schema, stringCompression: compression, stringDictionaries: .never)
        try writer.beginCycle()
        let words = ["the", "package", "python", "library", "for", "data", "client", "tools"]
        for index in 0..<count {
            let note: String = (0..<8).map { (position: Int) -> String in words[(position * 7 + index) % words.count] }.joined(separator: " ")
            var item = ObjectRecord(schema.object("Item")!)
            try item.set("name", .string("item-\(index)"))
            try item.set("note", .string(note))
            try writer.add(item)
        }
        let blobs = try #require(try writer.writeBlobs())
        writer.commit()
        return (try ReadState(snapshot: blobs.snapshot), blobs.snapshot)
    }

    static func version(_ blob: [UInt8]) throws -> UInt16 {
        let content = try BlobFrame.unwrap(blob)
        return UInt16(content[4]) | UInt16(content[5]) << 8
    }

    @Test func theWriterCodesAFieldWhenItPaysAndSaysSoInTheVersion() throws {
        // 100 notes are under the 64 KiB a field must hold: plain, and a version-2 blob that
        // consumers of before version 3 still read.
        let (small, smallBlob) = try Self.state(100, .default)
        #expect(small.types["Item"]!.data.shards[0].pools.allSatisfy { $0.symbols == nil })
        #expect(try Self.version(smallBlob) == 2)
        // 5,000 notes of repeated words (about 230 KB): coded, and a version-3 blob; the names
        // (item-N, about 45 KB) stay plain: the choice is per field.
        let (large, largeBlob) = try Self.state(5_000, .default)
        #expect(large.types["Item"]!.data.shards[0].pools.map { $0.symbols != nil } == [false, true])
        #expect(try Self.version(largeBlob) == 3)
        let plainBytes = try Self.state(5_000, .never).0.memory.totalBytes
        #expect(large.memory.totalBytes < plainBytes * 6 / 10, "\(large.memory.totalBytes) of \(plainBytes)")
        // Either way every value reads back.
        let items = try #require(large.objectType("Item"))
        let note = try #require(items.field("note"))
        let words = ["the", "package", "python", "library", "for", "data", "client", "tools"]
        let expected: String = (0..<8).map { (position: Int) -> String in words[(position * 7 + 4_999) % 8] }.joined(separator: " ")
        #expect(items.string(4_999, note) == expected)
        let index = try PrimaryKeyIndex(large, type: "Item")
        #expect(index.ordinal("item-1234") == 1_234)
        #expect(index.ordinal("item-12345") == nil)
    }

    @Test func aDeltaWhoseRecordsAreCodedUnlikeItsOriginIsRefused() throws {
        let (coded, _) = try Self.state(50, .always)
        let (plain, _) = try Self.state(50, .never)
        let plan = TypePlan(Self.schema.types[0])
        var record = ObjectRecord(Self.schema.object("Item")!)
        try record.set("name", .string("new"))
        try record.set("note", .string("a new note"))
        func delta(_ symbols: [SymbolTable?], borrows: Bool) throws -> TypeDataDelta {
            var builder = TypeDataBuilder(plan: plan, capacity: 1, symbols: symbols)
            builder.append(try record.encoded())
            var records = builder.build()
            for index in records.pools.indices where borrows {
                records.pools[index].symbols = nil
                records.pools[index].borrowsSymbols = true
            }
            return TypeDataDelta(ordinalCount: 51, removed: [], added: [50], addedRecords: records)
        }
        func outcome(_ origin: ReadState, _ delta: TypeDataDelta) -> String? {
            var budget = Int.max
            do {
                _ = try origin.types["Item"]!.data.applying(delta, plan: plan, type: "Item", growthBudget: &budget)
                return nil
            } catch { return "\(error)" }
        }
        let originTables = coded.types["Item"]!.data.shards[0].pools.map(\.symbols)
        // As a blob carries them: coded with the origin's table, onto a coded origin.
        #expect(outcome(coded, try delta(originTables, borrows: true)) == nil)
        // Plain records onto a coded origin; records said to use a table the origin lacks; records
        // with a table of their own (a blob never carries one in a delta).
        #expect(outcome(coded, try delta([nil, nil], borrows: false))?.contains("otherwise than this state's") == true)
        #expect(outcome(plain, try delta(originTables, borrows: true))?.contains("a table this state does not have") == true)
        let foreign = [SymbolTable(symbols: [Array("ne".utf8)]), SymbolTable(symbols: [Array("note".utf8)])]
        #expect(outcome(coded, try delta(foreign, borrows: false))?.contains("otherwise than this state's") == true)
    }
}
