import PropertyBased
import Testing
import TestThreads
@testable import HollowCore

/// Random schemas, random sequences of cycles: every path to a state gives the same state.
@Suite(.onTestThreads) struct PropertyTests {
    @Test func snapshotsDeltasAndReverseDeltasAgree() async throws {
        await propertyCheck(count: 60, input: Gen.uint64(in: 0 ... .max)) { seed in
            do { try checkChain(seed: seed) } catch { Issue.record("seed \(seed): \(error)") }
        }
    }

    /// Every reader limit must hold for whatever the writer writes: empty types, zero-bit columns,
    /// one record repeated, and lists of thousands of copies of one element (zero-bit pools).
    @Test func degenerateShapesReadBackWhateverTheWriterWrote() async throws {
        await propertyCheck(count: 60, input: Gen.uint64(in: 0 ... .max)) { seed in
            do { try checkChain(seed: seed, degenerate: true) } catch { Issue.record("seed \(seed), degenerate: \(error)") }
        }
    }

    /// The same with every string and bytes field coded by a symbol table, whatever its size.
    @Test func codedStringsAgreeAlongChainsAndIndexes() async throws {
        await propertyCheck(count: 60, input: Gen.uint64(in: 0 ... .max), Gen.bool) { seed, degenerate in
            do { try checkChain(seed: seed, degenerate: degenerate, compression: .always) } catch {
                Issue.record("seed \(seed), coded\(degenerate ? ", degenerate" : ""): \(error)")
            }
        }
    }

    /// The same with every string and bytes field of an object type held in a dictionary (its
    /// values coded by a symbol table or not): entries freed, reused and kept along the chain.
    @Test func dictionariesAgreeAlongChainsAndIndexes() async throws {
        await propertyCheck(count: 60, input: Gen.uint64(in: 0 ... .max)) { seed in
            let (degenerate, coded) = (seed & 1 != 0, seed & 2 != 0)
            do { try checkChain(seed: seed, degenerate: degenerate, compression: coded ? .always : .never, dictionaries: .always) } catch {
                Issue.record("seed \(seed), dictionaries\(coded ? ", coded" : "")\(degenerate ? ", degenerate" : ""): \(error)")
            }
        }
    }

    func checkChain(seed: UInt64, degenerate: Bool = false, compression: StringCompression = .default,
                    dictionaries: StringDictionaries = .default) throws {
        var dataset = RandomDataset(seed: seed, degenerate: degenerate)
        let writer = WriteState(schema: dataset.schema, stringCompression: compression, stringDictionaries: dictionaries)
        var snapshots: [[UInt8]] = []
        var deltas: [[UInt8]] = []
        var reverses: [[UInt8]] = []
        var announced: ReadState?
        for _ in 0..<Int.random(in: 2...6, using: &dataset.random) {
            try writer.beginCycle()
            let distinct = try dataset.populate(writer)
            guard let blobs = try writer.writeBlobs() else { continue }
            writer.commit()
            let fresh = try ReadState(snapshot: blobs.snapshot)
            // A producer's read-back: the consumer's state, on the writer's storage.
            let readBack = try blobs.readBack(onto: announced)
            #expect(StateDump(readBack) == StateDump(fresh), "seed \(seed): read back")
            ReadBackTests.expectShared(readBack, blobs, "seed \(seed)")
            announced = readBack
            // Dedup: one record per distinct value.
            for (type, count) in distinct { #expect(fresh.recordCount(type) == count, "seed \(seed) type \(type)") }
            if dictionaries == .always && snapshots.isEmpty {
                // Every field that holds a value at the first state stores it in its dictionary.
                for (name, type) in fresh.types where !type.plan.isCollection {
                    #expect(type.data.shards[0].pools.allSatisfy { $0.count == 0 }, "seed \(seed): \(name) holds values outside a dictionary")
                }
            }
            snapshots.append(blobs.snapshot)
            if let delta = blobs.delta, let reverse = blobs.reverseDelta {
                deltas.append(delta)
                reverses.append(reverse)
            }
        }
        guard let first = snapshots.first else { return }
        // Shards of a few ordinals, so that a delta adds to some, removes from others and leaves
        // the rest alone (or the default: one shard a type at this size).
        let shardBits = [1, 2, 3, 5, ReadState.defaultShardBits][Int(seed % 5)]
        var state = try ReadState(snapshot: first, shardBits: shardBits)
        #expect(StateDump(state) == StateDump(try ReadState(snapshot: first)), "seed \(seed): snapshot in shards of \(shardBits) bits")
        var indexes = try Self.indexes(state)
        for (index, delta) in deltas.enumerated() {
            state = try state.applying(delta: delta)
            let fresh = try ReadState(snapshot: snapshots[index + 1])
            let (mine, theirs) = (StateDump(state), StateDump(fresh))
            if mine != theirs {
                let differing = mine.types.keys.sorted().filter { mine.types[$0] != theirs.types[$0] }.map { name in
                    let ordinals = Set(mine.types[name]!.keys).union(theirs.types[name]!.keys).sorted().filter { mine.types[name]![$0] != theirs.types[name]![$0] }
                    return "\(name) at \(ordinals.prefix(3).map { "\($0): \(mine.types[name]![$0] ?? "none") against \(theirs.types[name]![$0] ?? "none")" })"
                }
                Issue.record("seed \(seed): delta \(index + 1), shards of \(shardBits) bits: \(differing)")
            }
            for (name, type) in state.types {
                if let problem = type.data._invariantViolation(plan: type.plan) { Issue.record("seed \(seed): \(name): \(problem)") }
            }
            indexes = try indexes.map { try $0.updated(to: state) }
            for updated in indexes {
                let rebuilt = try HashIndex(fresh, type: updated.type, fields: updated.fields)
                #expect(Self.contents(updated, state) == Self.contents(rebuilt, fresh), "seed \(seed): index on \(updated.type).\(updated.fields)")
            }
        }
        for (index, reverse) in reverses.enumerated().reversed() {
            state = try state.applying(delta: reverse)
            #expect(StateDump(state) == StateDump(try ReadState(snapshot: snapshots[index])), "seed \(seed): reverse delta \(index), shards of \(shardBits) bits")
            indexes = try indexes.map { try $0.updated(to: state) }
            for updated in indexes {
                let rebuilt = try HashIndex(state, type: updated.type, fields: updated.fields)
                #expect(Self.contents(updated, state) == Self.contents(rebuilt, state), "seed \(seed): index after reverse delta")
            }
        }
    }

    /// A hash index on the first field of each object type: with the tags of its slots as long as
    /// the ordinals leave them, with a 1-bit tag, and with none (every probe compares keys).
    static func indexes(_ state: ReadState) throws -> [HashIndex] {
        try state.schema.types.flatMap { type -> [HashIndex] in
            guard case .object(let object) = type, let field = object.fields.first else { return [] }
            return try [1, 31, 32].map { try HashIndex(state, type: object.name, fields: [field.name], minimumOrdinalBits: $0) }
        }
    }

    /// Every record's key, looked up through the index: which ordinals share it.
    static func contents(_ index: HashIndex, _ state: ReadState) -> [Int: Set<Int>] {
        let reader = state.objectType(index.type)!
        let field = reader.field(index.fields[0])!
        var result: [Int: Set<Int>] = [:]
        for ordinal in reader.ordinals {
            let matches: HashIndex.Matches
            if reader.isNull(ordinal, field) {
                switch field.type {
                case .string: matches = index.ordinals(String?.none)
                default: matches = index.ordinals(Int64?.none)
                }
            } else {
                switch field.type {
                case .int: matches = index.ordinals(reader.int(ordinal, field)!)
                case .long: matches = index.ordinals(reader.long(ordinal, field)!)
                case .float: matches = index.ordinals(reader.float(ordinal, field)!)
                case .double: matches = index.ordinals(reader.double(ordinal, field)!)
                case .bool: matches = index.ordinals(reader.bool(ordinal, field)!)
                case .string: matches = index.ordinals(reader.string(ordinal, field)!)
                case .bytes: matches = index.ordinals(reader.bytes(ordinal, field)!)
                case .reference: matches = index.ordinals(reader.reference(ordinal, field)!)
                }
            }
            result[ordinal] = Set(matches)
        }
        return result
    }
}
