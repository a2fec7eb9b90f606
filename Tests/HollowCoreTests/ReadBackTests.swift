import Testing
import TestThreads
@testable import HollowCore

/// A writer reading its own blobs back (`CycleBlobs.readBack(onto:)`): the state a consumer
/// reads, sharing the writer's storage instead of a copy of it.
@Suite(.onTestThreads) struct ReadBackTests {
    /// Every storage of every type, the dictionaries' included, in a fixed order.
    static func storages(_ data: TypeData) -> [BitStorage] {
        [data.populated, data.fixed] + data.pools.flatMap { [$0.storage] + ($0.dictionary.map(storages) ?? []) }
    }

    static func expectShared(_ state: ReadState, _ blobs: CycleBlobs, _ comment: Comment) {
        for (name, type) in state.types {
            guard let written = blobs.written[name] else {
                Issue.record("\(comment): the writer holds no storage of \(name)")
                continue
            }
            let kept = storages(type.data.whole), built = storages(written)
            #expect(kept.count == built.count && zip(kept, built).allSatisfy { $0 === $1 }, "\(comment): \(name) holds a copy of the writer's storage")
        }
    }

    @Test func aSnapshotReadBackIsTheConsumersStateOnTheWritersStorage() throws {
        let catalog = try Catalog()
        try catalog.state.beginCycle()
        let ann = try catalog.person("Ann", born: 1970)
        let drama = try catalog.genre("Drama")
        try catalog.movie(1, "First", year: 1999, rating: 7.5, director: ann, genres: [drama], cast: [ann])
        try catalog.movie(2, "Second", year: 2001, rating: nil, director: nil, genres: [], cast: [])
        let blobs = try #require(try catalog.state.writeBlobs())
        catalog.state.commit()

        let state = try blobs.readBack(onto: nil)
        #expect(state.stateID == blobs.stateID)
        #expect(StateDump(state) == StateDump(try ReadState(snapshot: blobs.snapshot)))
        #expect(!blobs.snapshotStorages.isEmpty)
        Self.expectShared(state, blobs, "snapshot")
    }

    @Test func aDeltaReadBackSharesTheWritersStorageOfTheTypesItChanged() throws {
        let catalog = try Catalog()
        try catalog.state.beginCycle()
        let ann = try catalog.person("Ann", born: 1970)
        try catalog.movie(1, "First", year: 1999, rating: 7.5, director: ann, genres: [], cast: [ann])
        let first = try #require(try catalog.state.writeBlobs())
        catalog.state.commit()
        let announced = try first.readBack(onto: nil)

        try catalog.state.beginCycle()
        _ = try catalog.person("Ann", born: 1970)
        let bob = try catalog.person("Bob", born: nil)
        try catalog.movie(1, "First, again", year: 1999, rating: 7.5, director: bob, genres: [], cast: [ann, bob])
        let second = try #require(try catalog.state.writeBlobs())
        catalog.state.commit()
        #expect(second.delta != nil)

        let state = try second.readBack(onto: announced)
        #expect(state.originStateID == announced.stateID)
        #expect(StateDump(state) == StateDump(try ReadState(snapshot: second.snapshot)))
        #expect(state.changes("Movie") != nil, "the read-back state says what the delta changed")
        Self.expectShared(state, second, "delta")
    }

    @Test func aBlobThatDiffersFromTheWritersStorageIsRefused() throws {
        let catalog = try Catalog()
        try catalog.state.beginCycle()
        for id in 1...40 { try catalog.movie(Int64(id), "Movie \(id)", year: 2000, rating: nil, director: nil, genres: [], cast: []) }
        let blobs = try #require(try catalog.state.writeBlobs())
        #expect(!blobs.snapshot.isEmpty, "the snapshot is written when first asked for")
        // The writer's records storage changed after the blob was written (what a bug or a stray
        // write would do): the read-back says where.
        let records = try #require(blobs.written["Movie"]?.fixed)
        records.handle.base.storeBytes(of: ~records.handle.base.load(as: UInt8.self), as: UInt8.self)
        do {
            _ = try blobs.readBack(onto: nil)
            Issue.record("a blob that differs from the writer's storage was read back")
        } catch {
            guard case .corrupt(let what) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(what.contains("Movie: records") && what.contains("differ from those written"), "\(what)")
        }
    }

    @Test func aWrittenStorageNotReadBackIsRefused() throws {
        let catalog = try Catalog()
        try catalog.state.beginCycle()
        _ = try catalog.genre("Drama")
        let blobs = try #require(try catalog.state.writeBlobs())
        let written = WrittenStorages(blobs.snapshotStorages + [BitStorage(bitCount: 64)])
        #expect(throws: BlobError.self) {
            _ = try blobs.snapshot.withUnsafeBytes { try BlobReader.readSnapshot($0, written: written) }
        }
    }
}

extension ReadBackTests {
    /// A type whose codings the writer chooses (a symbol table for long text, a dictionary for a
    /// field of few values), changed by 1%: the change cycle's read-back shares the writer's storage.
    @Test func aChangeCycleSharesTheStorageOfCodedAndDictionaryPools() throws {
        let schema = try Schema(parsing: "type Project key(name) { name: string  version: string  month: string  rank: int?  summary: string }")
        let writer = WriteState(schema: schema)
        let words = ["fast", "async", "client", "library", "for", "the", "python", "toolkit", "data", "web", "parser", "plugin"]
        func populate(changed: Bool) throws {
            var record = ObjectRecord(schema.object("Project")!)
            for index in 0..<20_000 {
                try record.set("name", .string("project-\(index)"))
                try record.set("version", .string("\(index % 7).\(index % 13).\(changed && index % 100 == 0 ? "1.post1" : "1")"))
                try record.set("month", .string("20\(10 + index % 15)-\(1 + index % 12)"))
                try record.set("rank", index % 17 == 0 ? .int(Int32(index)) : nil)
                try record.set("summary", .string((0..<(index % 9 + 3)).map { words[($0 * 7 + index) % words.count] }.joined(separator: " ")))
                _ = try writer.add(record)
            }
        }
        try writer.beginCycle()
        try populate(changed: false)
        let first = try #require(try writer.writeBlobs())
        writer.commit()
        let announced = try first.readBack(onto: nil)
        let pools = try #require(first.written["Project"]?.pools)
        #expect(pools.contains { $0.symbols != nil } && pools.contains { $0.dictionary != nil }, "the writer chose both codings")
        Self.expectShared(announced, first, "first cycle")

        try writer.beginCycle()
        try populate(changed: true)
        let second = try #require(try writer.writeBlobs())
        writer.commit()
        let state = try second.readBack(onto: announced)
        #expect(second.changes["Project"]?.added == 200)
        #expect(StateDump(state) == StateDump(try ReadState(snapshot: second.snapshot)))
        Self.expectShared(state, second, "change cycle")
    }
}

extension ReadBackTests {
    /// The snapshot is written when first asked for: asked for after later cycles were written and
    /// committed, it is still the state of its own cycle.
    @Test func aSnapshotAskedForLaterIsItsOwnCyclesState() throws {
        let catalog = try Catalog()
        var blobs: [CycleBlobs] = []
        for round in 0..<3 {
            try catalog.state.beginCycle()
            for id in 0..<(20 + round * 5) {
                try catalog.movie(Int64(id), "Movie \(id) of round \(id % 3 == 0 ? round : 0)", year: 2000, rating: nil, director: nil, genres: [], cast: [])
            }
            blobs.append(try #require(try catalog.state.writeBlobs()))
            catalog.state.commit()
        }
        // Each state as a consumer reaches it by deltas, against its snapshot read only now.
        var state = try ReadState(snapshot: blobs[0].snapshot)
        for next in blobs.dropFirst() {
            state = try state.applying(delta: try #require(next.delta))
            #expect(StateDump(state) == StateDump(try ReadState(snapshot: next.snapshot)))
            #expect(next.snapshot == next.snapshot, "written once")
        }
    }
}
