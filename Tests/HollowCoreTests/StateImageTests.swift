import Foundation
import PropertyBased
import Testing
import TestThreads
@testable import HollowCore

/// A state and its indexes written as an image, mapped back, and followed along a chain: the same
/// records and the same index answers as the state loaded from blobs; damaged images refused.
@Suite(.onTestThreads) struct StateImageTests {
    /// A file of `bytes` in a fresh directory, removed with it by the caller.
    static func file(_ bytes: [UInt8], name: String = "state.image") throws -> (path: String, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hollow-image-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, directory)
    }

    /// Random schemas and chains (coded strings and dictionaries or not): the image of each state
    /// reads as the state, its indexes answer as the originals, and the mapped state follows the
    /// deltas forward and back with its indexes.
    @Test func imagesReadAndFollowDeltasAsTheStateDoes() async throws {
        await propertyCheck(count: 40, input: Gen.uint64(in: 0 ... .max)) { seed in
            do { try Self.checkImages(seed: seed) } catch { Issue.record("seed \(seed): \(error)") }
        }
    }

    static func checkImages(seed: UInt64) throws {
        var dataset = RandomDataset(seed: seed, degenerate: seed & 1 != 0)
        let writer = WriteState(schema: dataset.schema, stringCompression: seed & 2 != 0 ? .always : .never,
                                stringDictionaries: seed & 4 != 0 ? .always : .default)
        var snapshots: [[UInt8]] = []
        var deltas: [[UInt8]] = []
        var reverses: [[UInt8]] = []
        for _ in 0..<Int.random(in: 2...4, using: &dataset.random) {
            try writer.beginCycle()
            _ = try dataset.populate(writer)
            guard let blobs = try writer.writeBlobs() else { continue }
            writer.commit()
            snapshots.append(blobs.snapshot)
            if let delta = blobs.delta, let reverse = blobs.reverseDelta {
                deltas.append(delta)
                reverses.append(reverse)
            }
        }
        guard snapshots.count >= 2, deltas.count == snapshots.count - 1 else { return }
        // Types in shards of a few ordinals too: an image keeps them, and the deltas after it
        // leave removed records in some (which an image of a later state leaves out).
        let origin = try ReadState(snapshot: snapshots[0], shardBits: [2, 3, ReadState.defaultShardBits][Int(seed % 3)])
        let indexes = try PropertyTests.indexes(origin)
        let named = Dictionary(uniqueKeysWithValues: indexes.enumerated().map { ("index \($0.offset)", $0.element) })
        let (path, directory) = try file(StateImage.bytes(of: origin, hashIndexes: named, metadata: Array("seed \(seed)".utf8)))
        defer { try? FileManager.default.removeItem(at: directory) }
        for check in [StateImage.Check.structure, .none] {
            let image = try StateImage(mapping: path, check: check)
            #expect(image.metadata == Array("seed \(seed)".utf8))
            #expect(image.state.stateID == origin.stateID)
            #expect(StateDump(image.state) == StateDump(origin), "seed \(seed): image, \(check)")
            #expect(image.hashIndexes.count == named.count)
            for (name, original) in named {
                let mapped = try #require(image.hashIndexes[name])
                #expect(mapped.fields == original.fields && mapped.type == original.type)
                #expect(PropertyTests.contents(mapped, image.state) == PropertyTests.contents(original, origin), "seed \(seed): \(name)")
                #expect(mapped.core.table._invariantViolation(hash: mapped.core.key.hash) == nil)
            }
            // Forward along the chain and back, the indexes updated from the mapped ones.
            var state = image.state
            var following = image.hashIndexes
            for (index, delta) in deltas.enumerated() {
                state = try state.applying(delta: delta)
                let fresh = try ReadState(snapshot: snapshots[index + 1])
                #expect(StateDump(state) == StateDump(fresh), "seed \(seed): delta \(index + 1) from the image")
                following = try following.mapValues { try $0.updated(to: state) }
                for (name, updated) in following {
                    let rebuilt = try HashIndex(fresh, type: updated.type, fields: updated.fields)
                    #expect(PropertyTests.contents(updated, state) == PropertyTests.contents(rebuilt, fresh), "seed \(seed): \(name)")
                }
            }
            try Self.reimage(state, following, directory: directory, seed: seed, "the last state, by deltas from an image")
            for (index, reverse) in reverses.enumerated().reversed() {
                state = try state.applying(delta: reverse)
                #expect(StateDump(state) == StateDump(try ReadState(snapshot: snapshots[index])), "seed \(seed): reverse \(index)")
                following = try following.mapValues { try $0.updated(to: state) }
            }
            // Back at the first state: its types may have shrunk, and the indexes keep the room
            // of the most ordinals they had.
            try Self.reimage(state, following, directory: directory, seed: seed, "the first state, by reverse deltas")
            // The mapped image itself is unchanged by all of it.
            #expect(StateDump(image.state) == StateDump(origin))
        }
    }

    /// The image of a state reached by deltas, with the indexes that followed them, opens with the
    /// structure check and answers as they do.
    static func reimage(_ state: ReadState, _ indexes: [String: HashIndex], directory: URL, seed: UInt64, _ what: String) throws {
        let path = directory.appendingPathComponent("again.image").path
        try Data(StateImage.bytes(of: state, hashIndexes: indexes)).write(to: URL(fileURLWithPath: path))
        let again = try StateImage(mapping: path)
        #expect(StateDump(again.state) == StateDump(state), "seed \(seed): \(what)")
        for (name, index) in indexes {
            #expect(PropertyTests.contents(try #require(again.hashIndexes[name]), again.state) == PropertyTests.contents(index, state),
                    "seed \(seed): \(what), \(name)")
        }
    }

    static let schema = try! Schema(parsing: """
        type Country key(code) { code: string }
        type Movie key(id) { id: long  title: string  country: Country?  tags: Tags }
        list Tags of Tag
        type Tag { name: string }
        """)

    /// A small state of movies with a primary-key index on Movie and a hash index on its country.
    static func movies(count: Int = 500) throws -> (ReadState, PrimaryKeyIndex, HashIndex) {
        let (state, movies, byCountry, _) = try moviesAndDelta(count: count)
        return (state, movies, byCountry)
    }

    /// The same, and a delta from it that removes a third of the movies, changes a third and adds
    /// as many new ones.
    static func moviesAndDelta(count: Int) throws -> (ReadState, PrimaryKeyIndex, HashIndex, [UInt8]) {
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        try addMovies(writer, ids: 0..<count, stamp: 0)
        let blobs = try #require(try writer.writeBlobs())
        writer.commit()
        try writer.beginCycle()
        try addMovies(writer, ids: count / 3..<(count + count / 3), stamp: 1, changing: count / 3..<(2 * count / 3))
        let delta = try #require(try writer.writeBlobs()?.delta)
        let state = try ReadState(snapshot: blobs.snapshot)
        return (state, try PrimaryKeyIndex(state, type: "Movie"), try HashIndex(state, type: "Movie", fields: ["country.code"]), delta)
    }

    static func addMovies(_ writer: WriteState, ids: Range<Int>, stamp: Int, changing: Range<Int> = 0..<0) throws {
        let movie = schema.object("Movie")!
        for id in ids {
            var record = ObjectRecord(movie)
            try record.set("id", .long(Int64(id)))
            try record.set("title", .string("Movie \(id)\(changing.contains(id) ? " (\(stamp))" : "")"))
            var country = ObjectRecord(schema.object("Country")!)
            try country.set("code", .string(["NO", "SE", "DK"][(id + (changing.contains(id) ? stamp : 0)) % 3]))
            try record.set("country", id % 7 == 0 ? nil : .reference(try writer.add(country)))
            var tag = ObjectRecord(schema.object("Tag")!)
            try tag.set("name", .string("tag \(id % 5)"))
            try record.set("tags", .reference(try writer.add(list: [try writer.add(tag)], to: "Tags")))
            _ = try writer.add(record)
        }
    }

    @Test func aPrimaryKeyIndexComesBackMappedAndAnswersAtOnce() throws {
        let (state, movies, byCountry) = try Self.movies()
        let (path, directory) = try Self.file(StateImage.bytes(of: state, primaryKeyIndexes: ["Movie": movies],
                                                                 hashIndexes: ["byCountry": byCountry]))
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = try StateImage(mapping: path, check: .none)
        let mapped = try #require(image.primaryKeyIndexes["Movie"])
        #expect(mapped.fields == ["id"])
        #expect(mapped.core.table.slots.isMapped && mapped.core.table.next.isMapped)
        for id in [0, 1, 249, 499] { #expect(mapped.ordinal(Int64(id)) == movies.ordinal(Int64(id))) }
        #expect(mapped.ordinal(Int64(500)) == nil)
        #expect(Set(try #require(image.hashIndexes["byCountry"]).ordinals("SE")) == Set(byCountry.ordinals("SE")))
        // The file may be replaced (renamed over) while mapped: the state keeps its pages.
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path + ".new"))
        #expect(rename(path + ".new", path) == 0)
        #expect(StateDump(image.state) == StateDump(state))
        #expect(mapped.ordinal(Int64(42)) == movies.ordinal(Int64(42)))
    }

    /// A type that grows from 10 to 300 records and back (a reverse delta): the primary-key index
    /// followed along keeps room for 300, and the image of the smaller state opens and answers;
    /// the index of the image then follows a delta again.
    @Test func anIndexThatFollowedATypeBackDownMakesAnImageThatOpens() throws {
        let writer = WriteState(schema: Self.schema)
        var blobs: [CycleBlobs] = []
        for count in [10, 300] {
            try writer.beginCycle()
            for id in 0..<count {
                var record = ObjectRecord(Self.schema.object("Movie")!)
                try record.set("id", .long(Int64(id)))
                try record.set("title", .string("Movie \(id)"))
                try record.set("tags", .reference(try writer.add(list: [], to: "Tags")))
                _ = try writer.add(record)
            }
            blobs.append(try #require(try writer.writeBlobs()))
            writer.commit()
        }
        var state = try ReadState(snapshot: blobs[0].snapshot)
        var index = try PrimaryKeyIndex(state, type: "Movie")
        state = try state.applying(delta: try #require(blobs[1].delta))
        index = try index.updated(to: state)
        state = try state.applying(delta: try #require(blobs[1].reverseDelta))
        index = try index.updated(to: state)
        #expect(state.recordCount("Movie") == 10)
        let (path, directory) = try Self.file(StateImage.bytes(of: state, primaryKeyIndexes: ["Movie": index]))
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = try StateImage(mapping: path)
        let mapped = try #require(image.primaryKeyIndexes["Movie"])
        for id in 0..<12 { #expect(mapped.ordinal(Int64(id)) == index.ordinal(Int64(id)), "id \(id)") }
        let grown = try image.state.applying(delta: try #require(blobs[1].delta))
        let followed = try mapped.updated(to: grown)
        let movies = try #require(grown.objectType("Movie"))
        let id = try #require(movies.field("id"))
        for ordinal in movies.ordinals { #expect(followed.ordinal(movies.long(ordinal, id)!) == ordinal) }
    }

    /// A table whose slots and chains do not match the records' keys (here a record moved from
    /// its own slot into another key's chain) is safe to probe, so it opens; updated by a delta
    /// it would keep the record past its removal (a later lookup would then read past the
    /// records), so an index read from an image is rebuilt at its first delta instead.
    @Test func anIndexFromAnImageIsRebuiltAtItsFirstDelta() throws {
        let (state, _, _, delta) = try Self.moviesAndDelta(count: 300)
        let index = try HashIndex(state, type: "Movie", fields: ["id"])
        let table = index.core.table
        var slots = Array(table.slots.buffer)
        var next = Array(table.next.buffer)
        let mask = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(table.ordinalBits)) - 1)
        let moved = try #require(slots.firstIndex { Int($0 & mask) - 1 == 299 })
        slots[moved] = 0
        next[0] = 300  // ordinal 299 in the chain of ordinal 0
        func words(_ values: [UInt32]) -> IndexWords {
            let words = IndexWords(zeros: values.count)
            for (position, value) in values.enumerated() { words[position] = value }
            return words
        }
        let damaged = IndexTable(slots: words(slots), next: words(next), keyCount: table.keyCount - 1, ordinalBits: table.ordinalBits,
                                 minimumOrdinalBits: table.minimumOrdinalBits)
        let bytes = StateImage.bytes(of: state, hashIndexes: ["byId": HashIndex(core: try IndexCore(state: state, type: "Movie", paths: ["id"], table: damaged))])
        let (path, directory) = try Self.file(bytes)
        defer { try? FileManager.default.removeItem(at: directory) }
        for check in [StateImage.Check.structure, .none] {
            let image = try StateImage(mapping: path, check: check)
            let mapped = try #require(image.hashIndexes["byId"])
            #expect(!mapped.core.table.isVerified)
            #expect(Array(mapped.ordinals(Int64(0))).sorted() == [0, 299], "what the damaged table says")
            let next = try image.state.applying(delta: delta)
            let followed = try mapped.updated(to: next)
            #expect(followed.core.table.isVerified)
            #expect(PropertyTests.contents(followed, next) == PropertyTests.contents(try HashIndex(next, type: "Movie", fields: ["id"]), next))
        }
        // An index built here and written to an image is rebuilt too: the image cannot tell.
        let (goodPath, goodDirectory) = try Self.file(StateImage.bytes(of: state, hashIndexes: ["byId": index]))
        defer { try? FileManager.default.removeItem(at: goodDirectory) }
        let good = try #require(try StateImage(mapping: goodPath).hashIndexes["byId"])
        #expect(try good.updated(to: try good.state.applying(delta: delta)).core.table.isVerified)
    }

    @Test func aStateWithoutIndexesAndAnEmptyStateMakeImagesToo() throws {
        let empty = ReadState(empty: Self.schema)
        let (path, directory) = try Self.file(StateImage.bytes(of: empty))
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = try StateImage(mapping: path)
        #expect(StateDump(image.state) == StateDump(empty))
        #expect(image.primaryKeyIndexes.isEmpty && image.hashIndexes.isEmpty && image.metadata.isEmpty)
    }

    /// The streamed writer gives the bytes `bytes(of:)` gives, in pieces, and stops at the
    /// first error of its sink.
    @Test func theStreamedImageIsTheImage() throws {
        let (state, movies, byCountry) = try Self.movies(count: 5_000)
        let whole = StateImage.bytes(of: state, primaryKeyIndexes: ["Movie": movies], hashIndexes: ["byCountry": byCountry])
        var pieces: [[UInt8]] = []
        StateImage.write(of: state, primaryKeyIndexes: ["Movie": movies], hashIndexes: ["byCountry": byCountry]) { pieces.append(Array($0)) }
        #expect(pieces.count > 1)
        #expect(Array(pieces.joined()) == whole)
        struct Full: Error {}
        var calls = 0
        #expect(throws: Full.self) {
            try StateImage.write(of: state, primaryKeyIndexes: ["Movie": movies]) { (_) throws(Full) in
                calls += 1
                throw Full()
            }
        }
        #expect(calls == 1)
        // A sink that fails late is not called again, and its error is thrown.
        var later = 0
        #expect(throws: Full.self) {
            try StateImage.write(of: state, primaryKeyIndexes: ["Movie": movies], hashIndexes: ["byCountry": byCountry]) { (_) throws(Full) in
                later += 1
                if later == 2 { throw Full() }
            }
        }
        #expect(later == 2)
    }

    @Test func filesThatAreNotImagesAreRefusedWithTheirPath() throws {
        let (state, movies, _) = try Self.movies(count: 50)
        let bytes = StateImage.bytes(of: state, primaryKeyIndexes: ["Movie": movies])
        let (path, directory) = try Self.file(bytes)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: StateImageError.self) { try StateImage(mapping: path + ".missing") }
        #expect(throws: StateImageError.self) { try StateImage(mapping: directory.path) }
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(throws: StateImageError.unreadable(path: path, "an empty file")) { try StateImage(mapping: path) }
        // Every truncation is refused, with either check.
        for length in [1, 8, 40, bytes.count / 3, bytes.count / 2, bytes.count - 9, bytes.count - 1] {
            try Data(bytes[..<length]).write(to: URL(fileURLWithPath: path))
            for check in [StateImage.Check.structure, .none] {
                #expect(throws: StateImageError.self, "\(length) bytes") { try StateImage(mapping: path, check: check) }
            }
        }
        // An image of version 1 (before the record counts): refused as another format.
        var older = bytes
        older[8] = 1
        try Data(older).write(to: URL(fileURLWithPath: path))
        #expect {
            try StateImage(mapping: path, check: .none)
        } throws: { error in
            guard case .refused(path, .unsupportedFormat(let what))? = error as? StateImageError else { return false }
            return what.contains("version 1")
        }
        // A snapshot blob is not an image.
        let writer = WriteState(schema: Self.schema)
        try writer.beginCycle()
        let blob = try #require(try writer.writeBlobs()).snapshot
        try Data(blob).write(to: URL(fileURLWithPath: path))
        #expect {
            try StateImage(mapping: path)
        } throws: { error in
            guard case .refused(path, .unsupportedFormat(let what))? = error as? StateImageError else { return false }
            return what.contains("not a swift-hollow state image")
        }
    }

    /// Index tables that would make a lookup read past the records or loop: refused by the
    /// structure check.
    @Test func damagedIndexTablesAreRefused() throws {
        let (state, movies, _) = try Self.movies(count: 100)
        let bytes = StateImage.bytes(of: state, primaryKeyIndexes: ["Movie": movies])
        // The table's words are the last two storages: the slots, then the chain of 100 ordinals
        // (400 bytes), each followed by 24 bytes of padding, then the end marker.
        let chainStart = bytes.count - StateImage.endMagic.count - 24 - 400
        let slotsEnd = chainStart - 24
        var cases: [(String, [UInt8])] = []
        // A slot that names an ordinal past the type's.
        var past = bytes
        let used = try #require(stride(from: slotsEnd - 4, to: 0, by: -4).first { bytes[$0] != 0 || bytes[$0 + 1] != 0 })
        past[used] = 0xFF
        past[used + 1] = 0x7F
        cases.append(("an ordinal past the records", past))
        // A chain that links back to a key's first record: ordinal 0 links to itself.
        var loop = bytes
        loop[chainStart] = 1
        cases.append(("a chain that loops", loop))
        // Padding that is not zero.
        var padding = bytes
        padding[chainStart - 1] = 1
        cases.append(("padding", padding))
        for (what, damaged) in cases {
            let (path, directory) = try Self.file(damaged)
            defer { try? FileManager.default.removeItem(at: directory) }
            #expect(throws: StateImageError.self, "\(what)") { try StateImage(mapping: path) }
        }
    }

    /// Damaged bytes anywhere in an image give an error or a state every record of which reads,
    /// and whose indexes answer, under the structure check; never a crash.
    @Test func damagedImagesGiveAnErrorNeverACrash() async throws {
        let (state, movies, byCountry, delta) = try Self.moviesAndDelta(count: 60)
        let bytes = StateImage.bytes(of: state, primaryKeyIndexes: ["Movie": movies], hashIndexes: ["byCountry": byCountry])
        let (path, directory) = try Self.file(bytes)
        defer { try? FileManager.default.removeItem(at: directory) }
        await propertyCheck(count: 300, input: Gen.uint64(in: 0 ... .max)) { seed in
            var random = SplitMix64(seed: seed)
            var damaged = bytes
            for _ in 0..<(1 + random.next() % 3) {
                damaged[Int(random.next() % UInt64(damaged.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            let name = "damaged-\(seed)"
            let file = directory.appendingPathComponent(name).path
            guard (try? Data(damaged).write(to: URL(fileURLWithPath: file))) != nil else {
                Issue.record("cannot write \(file)")
                return
            }
            defer { try? FileManager.default.removeItem(atPath: file) }
            guard let image = try? StateImage(mapping: file) else { return }
            _ = StateDump(image.state)
            for id in 0..<61 { _ = image.primaryKeyIndexes["Movie"]?.ordinal(Int64(id)) }
            for code in ["NO", "SE", "DK", "FI"] { _ = image.hashIndexes["byCountry"].map { Array($0.ordinals(code)) } }
            // And what opens follows a delta, its indexes too (a damaged record may make the delta
            // fail, or an index refuse the new state, which is an error, never a crash).
            guard let next = try? image.state.applying(delta: delta) else { return }
            _ = StateDump(next)
            let movies = try? image.primaryKeyIndexes["Movie"]?.updated(to: next)
            let byCountry = try? image.hashIndexes["byCountry"]?.updated(to: next)
            for id in 0..<100 { _ = movies?.ordinal(Int64(id)) }
            for code in ["NO", "SE", "DK", "FI"] { _ = byCountry.map { Array($0.ordinals(code)) } }
        }
        _ = path
    }
}
