import Testing
import TestThreads
@testable import HollowCore

/// Defects in HollowCore found by the importer's fuzzer (Sources/HollowFuzz, target jsonl,
/// docs/FUZZING.md), each replayed by the calls the importer made.
@Suite(.onTestThreads) struct ImportFuzzRegressionTests {
    /// `type K { }` and the line `{}`: the write state took an object type without fields for a
    /// collection (`TypeDataBuilder` asked whether the plan had fields) and read an element count
    /// from the record's empty encoding, past its end (a trap in debug, a read out of bounds in
    /// release). Now the plan says which it is (`TypePlan.isCollection`). Found after 3.7 million
    /// executions.
    @Test func anObjectTypeWithoutFieldsHoldsItsRecord() throws {
        let schema = try Schema(parsing: "type K { }\nlist L of K\ntype R { k: K  l: L? }")
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        let empty = try writer.add(ObjectRecord(schema.object("K")!))
        let list = try writer.add(list: [empty, empty], to: "L")
        var record = ObjectRecord(schema.object("R")!)
        try record.set("k", .reference(empty))
        try record.set("l", .reference(list))
        _ = try writer.add(record)
        let first = try #require(try writer.writeBlobs())
        writer.commit()
        let state = try ReadState(snapshot: first.snapshot)
        #expect(state.recordCount("K") == 1)
        #expect(state.listType("L")!.elements(0) == [0, 0])

        // A delta drops the list and keeps the empty record.
        try writer.beginCycle()
        let again = try writer.add(ObjectRecord(schema.object("K")!))
        record = ObjectRecord(schema.object("R")!)
        try record.set("k", .reference(again))
        _ = try writer.add(record)
        let second = try #require(try writer.writeBlobs())
        let next = try state.applying(delta: #require(second.delta))
        #expect(next.recordCount("K") == 1)
        #expect(next.recordCount("L") == 0)
        let records = try #require(next.objectType("R"))
        let ordinal = try #require(Array(records.ordinals).first)
        #expect(records.recordCount == 1)
        #expect(records.isNull(ordinal, records.field("l")!))
    }
}
