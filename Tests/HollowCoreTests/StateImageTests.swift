import Foundation
import PropertyBased
import Testing
@testable import HollowCore

/// A state and its indexes written as an image, mapped back, and followed along a chain: the same
/// records and the same index answers as the state loaded from blobs; damaged images refused.
@Suite struct StateImageTests {
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
        let origin = try ReadState(snapshot: snapshots[0])
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
            for (index, reverse) in reverses.enumerated().reversed() {
                state = try state.applying(delta: reverse)
                #expect(StateDump(state) == StateDump(try ReadState(snapshot: snapshots[index])), "seed \(seed): reverse \(index)")
            }
            // The mapped image itself is unchanged by all of it.
            #expect(StateDump(image.state) == StateDump(origin))
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
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        let movie = schema.object("Movie")!
        for id in 0..<count {
            var record = ObjectRecord(movie)
            try record.set("id", .long(Int64(id)))
            try record.set("title", .string("Movie \(id)"))
            var country = ObjectRecord(schema.object("Country")!)
            try country.set("code", .string(["NO", "SE", "DK"][id % 3]))
            try record.set("country", id % 7 == 0 ? nil : .reference(try writer.add(country)))
            var tag = ObjectRecord(schema.object("Tag")!)
            try tag.set("name", .string("tag \(id % 5)"))
            try record.set("tags", .reference(try writer.add(list: [try writer.add(tag)], to: "Tags")))
            _ = try writer.add(record)
        }
        let blobs = try #require(try writer.writeBlobs())
        let state = try ReadState(snapshot: blobs.snapshot)
        return (state, try PrimaryKeyIndex(state, type: "Movie"), try HashIndex(state, type: "Movie", fields: ["country.code"]))
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

    @Test func aStateWithoutIndexesAndAnEmptyStateMakeImagesToo() throws {
        let empty = ReadState(empty: Self.schema)
        let (path, directory) = try Self.file(StateImage.bytes(of: empty))
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = try StateImage(mapping: path)
        #expect(StateDump(image.state) == StateDump(empty))
        #expect(image.primaryKeyIndexes.isEmpty && image.hashIndexes.isEmpty && image.metadata.isEmpty)
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
        // A chain that loops: ordinal 0 links to itself.
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
        let (state, movies, byCountry) = try Self.movies(count: 60)
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
        }
        _ = path
    }
}
