import Testing
import TestThreads
@testable import HollowCore

/// The count of distinct values that chooses the per-field dictionaries: exact up to
/// `DistinctHashes.capacity`, an adaptive sample past it.
@Suite(.onTestThreads) struct DistinctHashesTests {
    static func hash(_ index: Int) -> UInt64 {
        let bytes = Array("value \(index)".utf8)
        return bytes.withUnsafeBytes { RecordStore.hash($0) }
    }

    @Test func countsAreExactUpToTheCapacity() {
        var distinct = DistinctHashes()
        for round in 0..<2 {
            for index in 0..<DistinctHashes.capacity { distinct.insert(Self.hash(index), bytes: index % 50 + round) }
        }
        #expect(distinct.level == 0)
        #expect(distinct.count == DistinctHashes.capacity)
        #expect(distinct.bytes == (0..<DistinctHashes.capacity).reduce(0) { $0 + $1 % 50 }, "a value's bytes are counted once")
    }

    /// Past the capacity the count is a sample's: within 3% for these half a million values (the
    /// sample is fixed by the hashes, so this is one outcome, not a chance).
    @Test(arguments: [100_000, 500_000])
    func countsPastTheCapacityAreCloseEstimates(count: Int) {
        var distinct = DistinctHashes()
        for round in 0..<2 {
            for index in 0..<count { distinct.insert(Self.hash(index), bytes: 10 + index % 90 + round) }
        }
        let bytes = (0..<count).reduce(0) { $0 + 10 + $1 % 90 }
        #expect(distinct.level > 0)
        #expect(abs(Double(distinct.count) / Double(count) - 1) < 0.03, "\(distinct.count) for \(count)")
        #expect(abs(Double(distinct.bytes) / Double(bytes) - 1) < 0.03, "\(distinct.bytes) bytes for \(bytes)")
    }

    /// A type's values counted in parts past the capacity: each part's estimate adds up to one
    /// close to the exact count.
    @Test func partsEstimateWhatOnePassCounts() throws {
        let schema = try Schema(parsing: "type T { name: string  group: string }")
        var state = TypeWriteState(schema: schema.types[0])
        state.beginCycle()
        let count = 120_000
        for index in 0..<count {
            var record = ObjectRecord(schema.object("T")!)
            try record.set("name", .string("name \(index)"))
            try record.set("group", .string("group \(index % 100)"))
            _ = try state.add(try record.encoded())
        }
        for parts in 1...3 {
            let counted = state.countValues(parts: parts)
            #expect(counted.values == [count, count])
            #expect(abs(Double(counted.distinct[0]) / Double(count) - 1) < 0.03, "\(parts) parts: \(counted.distinct[0])")
            #expect(counted.distinct[1] == 100, "few values are counted exactly")
        }
    }
}
