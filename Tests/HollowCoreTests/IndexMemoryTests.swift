import HollowCore
import Testing
import TestThreads

/// What an index reports of its memory: its table's slots (at most half full) and one chain entry
/// per ordinal, 4 bytes each, as allocated; a delta's update keeps the report true.
@Suite(.onTestThreads) struct IndexMemoryTests {
    let schema = try! Schema(parsing: "type Item key(id) { id: long  group: int }")

    func state(_ ids: Range<Int64>, from writer: WriteState? = nil, previous: ReadState? = nil) throws -> (WriteState, ReadState) {
        let writer = writer ?? WriteState(schema: schema)
        try writer.beginCycle()
        for id in ids {
            var item = ObjectRecord(schema.object("Item")!)
            try item.set("id", .long(id))
            try item.set("group", .int(Int32(id % 10)))
            try writer.add(item)
        }
        let blobs = try #require(try writer.writeBlobs())
        writer.commit()
        if let previous, let delta = blobs.delta { return (writer, try previous.applying(delta: delta)) }
        return (writer, try ReadState(snapshot: blobs.snapshot))
    }

    @Test func anIndexCountsItsTable() throws {
        let (writer, first) = try state(0..<1_000)
        let byID = try PrimaryKeyIndex(first, type: "Item")
        // 2,048 slots (the next power of two at twice the keys) and 1,000 chain entries at least.
        #expect(byID.memoryBytes >= (2_048 + 1_000) * 4 && byID.memoryBytes <= (2_048 + 2_000) * 4, "\(byID.memoryBytes)")
        let byGroup = try HashIndex(first, type: "Item", fields: ["group"])
        // A hash index starts small and grows with its distinct keys (10 here): 128 slots for a
        // sixteenth of the records, and the chain.
        #expect(byGroup.memoryBytes >= (128 + 1_000) * 4 && byGroup.memoryBytes <= (128 + 2_000) * 4, "\(byGroup.memoryBytes)")
        // One of many keys grows to the size of a primary-key index.
        let byIDHash = try HashIndex(first, type: "Item", fields: ["id"])
        #expect(byIDHash.memoryBytes >= (2_048 + 1_000) * 4, "\(byIDHash.memoryBytes)")
        #expect(byIDHash.ordinals(Int64(999)).map { $0 } == [byID.ordinal(Int64(999))!])

        // A delta that adds 500 records: the chain grows with the ordinals.
        let (_, second) = try state(0..<1_500, from: writer, previous: first)
        let updated = try byID.updated(to: second)
        #expect(updated.memoryBytes >= (2_048 + 1_500) * 4, "\(updated.memoryBytes)")
        #expect(updated.ordinal(Int64(1_499)) != nil)
    }
}
