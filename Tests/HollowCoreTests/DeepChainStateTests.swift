import Foundation
import Testing
import TestThreads

@testable import HollowCore

/// A state whose references chain ten thousand types deep is written, loaded, indexed through a key
/// path that crosses the whole chain, and carried across a delta, all on a 512 KiB stack: nothing on
/// the way recurses once per type.
@Suite(.onTestThreads) struct DeepChainStateTests {
    static let depth = 10_000

    /// One record per type of `SchemaTests.chainText(depth)`, the bottom one holding `value`.
    static func addChain(_ value: Int32, to state: WriteState) throws {
        let schema = state.schema
        var record = ObjectRecord(schema.object("T0")!)
        try record.set("v", .int(value))
        var below = try state.add(record)
        for index in 1..<depth {
            record = ObjectRecord(schema.object("T\(index)")!)
            try record.set("a", .reference(below))
            below = try state.add(record)
        }
        record = ObjectRecord(schema.object("Top")!)
        try record.set("a", .reference(below))
        _ = try state.add(record)
    }

    @Test func writtenLoadedIndexedAndChangedOnASmallStack() async throws {
        let schema = try Schema(parsing: SchemaTests.chainText(Self.depth).text)
        let checked = try await onSmallStack { () throws -> Bool in
            let state = WriteState(schema: schema)
            try state.beginCycle()
            try Self.addChain(7, to: state)
            guard let first = try state.writeBlobs() else { return false }
            state.commit()
            let loaded = try ReadState(snapshot: first.snapshot)
            let index = try PrimaryKeyIndex(loaded, type: "Top")
            guard index.ordinal(matching: [.int(7)]) == 0 else { return false }

            try state.beginCycle()
            try Self.addChain(8, to: state)
            guard let delta = try state.writeBlobs()?.delta else { return false }
            let changed = try loaded.applying(delta: delta)
            let updated = try index.updated(to: changed)
            return changed.recordCount("T\(Self.depth - 1)") == 1 && updated.ordinal(matching: [.int(8)]) != nil
                && updated.ordinal(matching: [.int(7)]) == nil
        }
        #expect(checked)
    }
}
