import Foundation
import Testing
import TestThreads
@testable import HollowCore

/// The largest pool a type may hold, written and read back by snapshot and delta, and one byte
/// more refused by the writer. These need about 19 GB of memory and 3 minutes: they run only with
/// `HOLLOW_LARGE_TESTS=1` (`scripts/largest-sizes.sh`), never beside the rest of the suite.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["HOLLOW_LARGE_TESTS"] == "1", "HOLLOW_LARGE_TESTS=1 (scripts/largest-sizes.sh)"),
       .serialized, .onTestThreads)
struct LargestSizeTests {
    static let schema = try! Schema(parsing: "type Blob key(id) { id: int  data: bytes }")

    /// Two records whose bytes together are `total`: the first of `total / 2` bytes of `first`,
    /// the second of the rest, of `second`.
    static func populate(_ writer: WriteState, total: Int, first: UInt8, second: UInt8) throws {
        for (id, (count, byte)) in [(total / 2, first), (total - total / 2, second)].enumerated() {
            var record = ObjectRecord(schema.object("Blob")!)
            try record.set("id", .int(Int32(id)))
            try record.set("data", .bytes([UInt8](repeating: byte, count: count)))
            _ = try writer.add(record)
        }
    }

    static func check(_ state: ReadState, total: Int, first: UInt8, second: UInt8) throws {
        let blobs = try #require(state.objectType("Blob"))
        let data = try #require(blobs.field("data"))
        #expect(blobs.recordCount == 2)
        #expect(state.types["Blob"]!.data.shards[0].pools[0].count == total)
        var seen = 0
        for ordinal in blobs.ordinals {
            let bytes = try #require(blobs.bytes(ordinal, data))
            let expected = bytes.count == total / 2 ? first : second
            #expect(bytes.first == expected && bytes.last == expected && bytes[bytes.count / 2] == expected)
            seen += bytes.count
        }
        #expect(seen == total)
    }

    @Test func aPoolOfTheMostBytesReadsBackAndFollowsADelta() throws {
        let total = TypeData.maximumPoolElementCount
        let writer = WriteState(schema: Self.schema, stringCompression: .never, stringDictionaries: .never)
        try writer.beginCycle()
        try Self.populate(writer, total: total, first: 1, second: 2)
        let first = try #require(try writer.writeBlobs())
        writer.commit()
        var state = try ReadState(snapshot: first.snapshot)
        try Self.check(state, total: total, first: 1, second: 2)
        // The next cycle changes the second record: a delta that copies the first one's run.
        try writer.beginCycle()
        try Self.populate(writer, total: total, first: 1, second: 3)
        let second = try #require(try writer.writeBlobs())
        writer.commit()
        state = try state.applying(delta: try #require(second.delta))
        try Self.check(state, total: total, first: 1, second: 3)
        state = try state.applying(delta: try #require(second.reverseDelta))
        try Self.check(state, total: total, first: 1, second: 2)
    }

    @Test func aPoolOfOneByteMoreIsRefusedByTheWriter() throws {
        let writer = WriteState(schema: Self.schema, stringCompression: .never, stringDictionaries: .never)
        try writer.beginCycle()
        try Self.populate(writer, total: TypeData.maximumPoolElementCount + 1, first: 1, second: 2)
        #expect(throws: WriteError.tooManyElements(type: "Blob")) { try writer.writeBlobs() }
    }
}
