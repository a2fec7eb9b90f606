import PropertyBased
import Testing
import TestThreads
@testable import HollowCore

/// A consumer holds a large type in shards (`TypeShards`): a delta builds again only the shards it
/// adds records to, and the producer puts new records in as few shards as it can.
@Suite(.onTestThreads) struct ShardedDeltaTests {
    static let schema = try! Schema(parsing: "type Item key(id) { id: long  name: string }")
    /// Shards of 1,024 ordinals on both sides, so that a few thousand records make several.
    static let shardBits = 10
    static let shardSize = 1 << shardBits

    /// A write state of `count` items, committed, and its snapshot.
    static func items(_ count: Int) throws -> (WriteState, [UInt8]) {
        let writer = WriteState(schema: schema, stringCompression: .default, stringDictionaries: .default, shardBits: shardBits)
        try writer.beginCycle()
        for id in 0..<count { try add(id, to: writer) }
        let blobs = try #require(try writer.writeBlobs())
        writer.commit()
        return (writer, blobs.snapshot)
    }

    static func add(_ id: Int, stamp: Int = 0, to writer: WriteState) throws {
        var record = ObjectRecord(schema.object("Item")!)
        try record.set("id", .long(Int64(id)))
        try record.set("name", .string("item \(id) \(stamp)"))
        _ = try writer.add(record)
    }

    /// One cycle with every item of `ids`, returning its delta.
    static func cycle(_ writer: WriteState, _ ids: [Int], stamp: Int = 0) throws -> CycleBlobs {
        try writer.beginCycle()
        for id in ids { try add(id, stamp: stamp, to: writer) }
        let blobs = try #require(try writer.writeBlobs())
        writer.commit()
        return blobs
    }

    @Test func aDeltaBuildsAgainOnlyTheShardsItAddsTo() throws {
        let count = 5 * Self.shardSize + 1_000
        let (writer, snapshot) = try Self.items(count)
        var consumer = try ReadState(snapshot: snapshot, shardBits: Self.shardBits)
        #expect(consumer.types["Item"]!.data.shards.count == 6)
        // One item in a hundred goes, spread over every shard; as many new ones come.
        var ids = Array(0..<count)
        let removed = Set(stride(from: 7, to: count, by: 100))
        ids.removeAll { removed.contains($0) }
        let first = try Self.cycle(writer, ids)
        // Their ordinals are free from the next cycle on: no shard has room enough to refill
        // (a sixteenth of its ordinals), so the new items go to the last shard and past it.
        let added = (count..<(count + removed.count)).map { $0 }
        let second = try Self.cycle(writer, ids + added)
        for blobs in [first, second] {
            let before = consumer
            consumer = try consumer.applying(delta: try #require(blobs.delta))
            #expect(StateDump(consumer) == StateDump(try ReadState(snapshot: blobs.snapshot)))
            let (old, new) = (before.types["Item"]!.data, consumer.types["Item"]!.data)
            let shared = zip(old.shards, new.shards).filter { $0.fixed === $1.fixed }.count
            let rebuilt = new.shards.count - shared
            // The removals touch every shard's populated bits, never its records and pools.
            if blobs.delta == first.delta { #expect(rebuilt == 0 && new.holdsRemoved.allSatisfy { $0 }) }
            else { #expect(rebuilt <= 2, "\(rebuilt) of \(new.shards.count) shards built again for \(added.count) new items") }
            #expect(new._invariantViolation(plan: consumer.types["Item"]!.plan) == nil)
        }
    }

    @Test func newRecordsFillTheRoomiestShardsFirst() throws {
        let count = 4 * Self.shardSize
        let (writer, _) = try Self.items(count)
        // Shard 2 loses a tenth of its items, shard 1 a twelfth (both more than a sixteenth, the
        // least room a shard is refilled with), shard 0 and the last shard one each.
        let shard1 = Set((Self.shardSize..<(2 * Self.shardSize)).filter { $0 % 12 == 0 })
        let shard2 = Set((2 * Self.shardSize..<(3 * Self.shardSize)).filter { $0 % 10 == 0 })
        let few = Set([3, 3 * Self.shardSize + 5])
        let kept = (0..<count).filter { !shard1.contains($0) && !shard2.contains($0) && !few.contains($0) }
        _ = try Self.cycle(writer, kept)
        let new = Array(count..<(count + shard2.count + shard1.count / 2))
        let blobs = try Self.cycle(writer, kept + new)
        let state = try ReadState(snapshot: blobs.snapshot, shardBits: ReadState.unsharded)
        let ids = state.objectType("Item")!
        let id = ids.field("id")!
        let ordinals = ids.ordinals.filter { ids.long($0, id)! >= Int64(count) }
        let shards = Dictionary(grouping: ordinals) { $0 >> Self.shardBits }.mapValues(\.count)
        // Shard 2 first, all of it; then half of shard 1's room; nothing where the room is small
        // (shard 0), nor in the last shard, whose one free ordinal comes after.
        #expect(shards == [2: shard2.count, 1: shard1.count / 2], "\(shards)")
    }

    /// A write state restored from a consumer's state, whose large type lies in shards (some of
    /// them keeping removed records), reads it as one storage and continues the chain.
    @Test func aWriterRestoredFromShardsContinuesTheChain() throws {
        let count = 3 * Self.shardSize + 100
        let (writer, snapshot) = try Self.items(count)
        var consumer = try ReadState(snapshot: snapshot, shardBits: Self.shardBits)
        let kept = (0..<count).filter { $0 % 9 != 0 }
        consumer = try consumer.applying(delta: try #require(try Self.cycle(writer, kept).delta))
        #expect(consumer.types["Item"]!.data.holdsRemoved.contains(true))
        let restored = WriteState(restoring: consumer)
        try restored.beginCycle()
        for id in kept + Array(count..<(count + 500)) { try Self.add(id, stamp: id % 5 == 0 ? 1 : 0, to: restored) }
        let blobs = try #require(try restored.writeBlobs())
        restored.commit()
        let next = try consumer.applying(delta: try #require(blobs.delta))
        #expect(StateDump(next) == StateDump(try ReadState(snapshot: blobs.snapshot)))
        let merged = try consumer.types["Item"]!.data.merged(plan: consumer.types["Item"]!.plan, type: "Item")
        #expect(merged._invariantViolation(plan: consumer.types["Item"]!.plan) == nil)
        #expect(merged.populatedCount == kept.count)
    }

    /// Damaged bytes in the content of a snapshot read straight into shards, or of a delta cut
    /// into parts for them, give an error or a state whose every record reads; never a crash.
    @Test func damagedBlobsReadInShardsGiveAnErrorNeverACrash() async throws {
        let count = 2 * Self.shardSize + 300
        let (writer, snapshot) = try Self.items(count)
        let delta = try #require(try Self.cycle(writer, (0..<count).filter { $0 % 7 != 0 } + Array(count..<(count + 200)), stamp: 1).delta)
        let (snapshotContent, deltaContent) = (try BlobFrame.unwrap(snapshot), try BlobFrame.unwrap(delta))
        let origin = try ReadState(snapshot: snapshot, shardBits: Self.shardBits)
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max), Gen.uint8(), Gen.bool) { position, byte, inDelta in
            var content = inDelta ? deltaContent : snapshotContent
            content[position % content.count] ^= byte | 1
            do {
                let state = inDelta ? try origin.applying(delta: BlobFrame.wrap(content))
                    : try ReadState(snapshot: BlobFrame.wrap(content), shardBits: Self.shardBits)
                _ = StateDump(state)
                for (name, type) in state.types {
                    if let problem = type.data._invariantViolation(plan: type.plan) { Issue.record("\(name): \(problem)") }
                }
            } catch {}
        }
    }
}

