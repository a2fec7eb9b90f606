import Testing
import TestThreads
@testable import HollowCore

/// A changed record's unchanged strings and collections are taken from the record it replaces
/// (`TypeDataDelta.copies`), in the delta and in the reverse delta; a delta that lends runs it
/// may not is refused.
@Suite(.onTestThreads) struct DeltaSharingTests {
    static let schema = try! Schema(parsing: """
        type Item key(name) { name: string  version: string  summary: string }
        """)

    /// Two cycles of `count` items with 2,000-byte random summaries; the second gives the first
    /// `changed` items a new version.
    static func cycles(count: Int, changed: Int, compression: StringCompression = .default) throws -> (first: ReadState, blobs: CycleBlobs) {
        let writer = WriteState(schema: schema, stringCompression: compression)
        var random = SplitMix64(seed: 7)
        let summaries = (0..<count).map { _ in String((0..<2_000).map { _ in Character(UnicodeScalar(UInt8(97 + random.next() % 26))) }) }
        var first: ReadState?
        var second: CycleBlobs?
        for cycle in 0..<2 {
            try writer.beginCycle()
            for index in 0..<count {
                var item = ObjectRecord(schema.object("Item")!)
                try item.set("name", .string("item \(index)"))
                try item.set("version", .string(cycle == 1 && index < changed ? "2.0" : "1.0"))
                try item.set("summary", .string(summaries[index]))
                try writer.add(item)
            }
            let blobs = try #require(try writer.writeBlobs())
            writer.commit()
            if cycle == 0 { first = try ReadState(snapshot: blobs.snapshot) } else { second = blobs }
        }
        return (try #require(first), try #require(second))
    }

    @Test(arguments: [StringCompression.never, .always])
    func aChangedRecordTravelsWithoutTheValuesItKept(compression: StringCompression) throws {
        let (first, blobs) = try Self.cycles(count: 200, changed: 20, compression: compression)
        let delta = try #require(blobs.delta)
        let reverse = try #require(blobs.reverseDelta)
        // 20 changed records carrying their random summaries would be over 20 x 2,000 bytes that
        // LZ4 cannot shrink much; taken from the removed records, the delta is a few hundred bytes.
        #expect(delta.count < 2_000, "\(delta.count) bytes")
        #expect(reverse.count < 2_000, "\(reverse.count) bytes")
        let second = try first.applying(delta: delta)
        #expect(StateDump(second) == StateDump(try ReadState(snapshot: blobs.snapshot)))
        #expect(StateDump(try second.applying(delta: reverse)) == StateDump(first))
    }

    /// Blobs of version 1 (ordinals as 32-bit words, no copies) still read: a store written
    /// before copies keeps its chain.
    @Test func aVersionOneDeltaStillApplies() throws {
        // Version 1 knew no coded pools: its deltas follow states with plain strings.
        let (first, blobs) = try Self.cycles(count: 50, changed: 5, compression: .never)
        let destination = try first.applying(delta: try #require(blobs.delta))
        let items = try #require(destination.types["Item"])
        let changes = try #require(items.changes)
        // The version 1 form of the same change: the added records whole, read from the new state.
        var builder = TypeDataBuilder(plan: items.plan, capacity: changes.added.count)
        let reader = try #require(destination.objectType("Item"))
        for ordinal in changes.added {
            var record = ObjectRecord(Self.schema.object("Item")!)
            for field in reader.fields { try record.set(field.name, .string(reader.string(ordinal, field)!)) }
            builder.append(try record.encoded())
        }
        var content = ByteWriter()
        BlobHeader(kind: .delta, origin: first.stateID, destination: destination.stateID, schema: Self.schema).write(to: &content)
        content.bytes[4] = 1  // format version 1
        content.u32(1)
        content.string16("Item")
        content.u8(BlobLayout.SectionKind.changed.rawValue)
        content.u64(UInt64(reader.ordinalCount))
        content.u64(UInt64(changes.removed.count))
        content.u64(UInt64(changes.added.count))
        for ordinal in changes.removed { content.u32(UInt32(ordinal)) }
        for ordinal in changes.added { content.u32(UInt32(ordinal)) }
        TypeSection.write(builder.build(), plan: items.plan, includePopulated: false, to: &content, version: 1)
        let applied = try first.applying(delta: BlobFrame.wrap(content.bytes))
        #expect(StateDump(applied) == StateDump(destination))
    }

    /// The copy lists end the blob's content: one per string field, the name's and the summary's
    /// with a copy per changed record, the version's empty. Each edit of them is refused with a
    /// reason.
    @Test func copiesThatMayNotBeAreRefused() throws {
        let (first, blobs) = try Self.cycles(count: 20, changed: 3)
        let content = try BlobFrame.unwrap(try #require(blobs.delta))
        // Three lists: name (3 copies), version (none), summary (3 copies), removed records lent in order.
        let tail: [UInt8] = [3, 3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0]
        #expect(Array(content.suffix(tail.count)) == tail)
        let body = Array(content.dropLast(tail.count))
        func outcome(_ edited: [UInt8]) -> BlobError? {
            do {
                _ = try first.applying(delta: BlobFrame.wrap(body + edited))
                return nil
            } catch { return error }
        }
        #expect(outcome(tail) == nil)
        let cases: [([UInt8], String)] = [
            ([3, 3, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0], "lent twice"),                      // removed record 0 lends twice
            ([3, 3, 0, 0, 0, 0, 0, 0x7E, 0, 3, 0, 0, 0, 0, 0, 0], "not one of the 3 removed"),    // removed record 65
            ([2, 3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0], "2 copy lists for 3"),
            ([3, 3, 0, 0, 0, 0, 0, 0, 1, 0, 0, 3, 0, 0, 0, 0, 0, 0], "takes a run it also carries"),  // the new version
            ([3, 3, 0, 0, 0, 0, 5, 0, 0, 3, 0, 0, 0, 0, 0, 0], "copied record"),                   // added record 7 of 3
        ]
        for (edited, reason) in cases {
            let error = outcome(edited)
            guard case .corrupt(let message)? = error else {
                Issue.record("\(edited): expected a corrupt blob (\(reason)), got \(String(describing: error))")
                continue
            }
            #expect(message.contains(reason), "\(message)")
        }
        // A varint cut short by the end of the content.
        guard case .truncated? = outcome([3, 3, 0, 0x80]) else {
            Issue.record("a varint cut short: \(String(describing: outcome([3, 3, 0, 0x80])))")
            return
        }
    }
    /// A list, set or map record is stored once per content, so no equal run is both removed and
    /// added: the writer gives collection types no copy lists, and a reader refuses them (a copied
    /// run under a record's own empty one would break a set's bucket count).
    @Test func collectionTypesCarryNoCopies() throws {
        let schema = try Schema(parsing: """
            type Tag { name: string }
            type Post key(id) { id: long  tags: Tags }
            list Tags of Tag
            """)
        let writer = WriteState(schema: schema)
        var blobs: [CycleBlobs] = []
        for cycle in 0..<2 {
            try writer.beginCycle()
            var tags: [Int] = []
            for name in ["a", "b", "c"] {
                var tag = ObjectRecord(schema.object("Tag")!)
                try tag.set("name", .string(name))
                tags.append(try writer.add(tag))
            }
            for id in 0..<10 {
                let list = try writer.add(list: cycle == 1 && id < 3 ? [tags[2], tags[0]] : [tags[0], tags[1]], to: "Tags")
                var post = ObjectRecord(schema.object("Post")!)
                try post.set("id", .long(Int64(id)))
                try post.set("tags", .reference(list))
                try writer.add(post)
            }
            blobs.append(try #require(try writer.writeBlobs()))
            writer.commit()
        }
        let first = try ReadState(snapshot: blobs[0].snapshot)
        let content = try BlobFrame.unwrap(try #require(blobs[1].delta))
        // The Tags section comes last (the schema's order): its copy-list count, 0, ends the content.
        #expect(content.last == 0)
        _ = try first.applying(delta: try #require(blobs[1].delta))
        func refusal(_ content: [UInt8]) -> BlobError? {
            do {
                _ = try first.applying(delta: BlobFrame.wrap(content))
                return nil
            } catch { return error }
        }
        guard case .corrupt(let message)? = refusal(Array(content.dropLast()) + [1, 0]) else {
            Issue.record("a copy list for a list type was not refused as corrupt")
            return
        }
        #expect(message.contains("copy lists"), "\(message)")
    }
}

/// A small deterministic generator for test data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
