@testable import HollowCore
import PropertyBased
import Testing
import TestThreads

/// A large type's storage is built in ranges of ordinals, one a processor, and put together
/// (`TypeDataBuilder.build(parts:)`). Whatever the cut, the result must be the storage one builder
/// builds from every ordinal, bit for bit: same widths, same records, same pools.
@Suite(.onTestThreads) struct TypeDataBuilderPartsTests {
    static let object = TypeSchema.object(ObjectSchema("Row", fields: [
        FieldSchema("id", .long), FieldSchema("name", .string, nullable: true), FieldSchema("blob", .bytes),
        FieldSchema("score", .int, nullable: true), FieldSchema("flag", .bool), FieldSchema("next", .reference("Row"), nullable: true),
    ]))
    static let collections: [TypeSchema] = [
        .list(name: "Rows", element: "Row"), .set(name: "RowSet", element: "Row"), .map(name: "RowMap", key: "Row", value: "Row"),
    ]

    @Test func partsBuildWhatOneBuilderBuilds() async {
        await propertyCheck(count: 150, input: Gen.uint64(in: 0 ... .max)) { seed in
            var random = Xoshiro(seed: seed)
            for type in [Self.object] + Self.collections {
                let records = Self.records(type, &random)
                var symbols: [SymbolTable?] = []
                var lookups: [TypeDataBuilder.DictionaryLookup?] = []
                let plan = TypePlan(type)
                if !plan.isCollection {
                    // Pools coded by a symbol table, by a dictionary (any entry function will do: the
                    // builder stores what it answers), or as they are.
                    let sample = records.compactMap { $0 }.prefix(50).map { Array($0) }
                    symbols = plan.pools.map { _ in Bool.random(using: &random) ? SymbolTable(training: sample) : nil }
                    lookups = plan.pools.indices.map { pool in
                        symbols[pool] == nil && Bool.random(using: &random) ? { bytes in bytes.count &* 3 &+ Int(bytes.first ?? 0) } : nil
                    }
                }
                let whole = Self.build(plan, records, cuts: [], symbols: symbols, lookups: lookups)
                var cuts = (0..<Int.random(in: 1...4, using: &random)).map { _ in Int.random(in: 0...records.count, using: &random) }
                cuts.sort()
                let parts = Self.build(plan, records, cuts: cuts, symbols: symbols, lookups: lookups)
                #expect(Self.difference(whole, parts) == nil, "seed \(seed), \(type.name), \(records.count) ordinals cut at \(cuts): \(Self.difference(whole, parts) ?? "")")
            }
        }
    }

    /// The write state's own split (`TypeWriteState.data(of:parts:)`): ranges of ordinals with
    /// removed records among them, each part with encoders of its own.
    @Test func aTypeBuiltInPartsIsTheTypeBuiltWhole() async {
        await propertyCheck(count: 60, input: Gen.uint64(in: 0 ... .max)) { seed in
            var random = Xoshiro(seed: seed)
            var state = TypeWriteState(schema: Self.object)
            state.beginCycle()
            for record in Self.records(Self.object, &random) {
                guard let record else { continue }
                do { _ = try state.add(record) } catch { Issue.record("seed \(seed): \(error)"); return }
            }
            for ordinal in 0..<state.ordinalCount where Int.random(in: 0..<5, using: &random) == 0 { state.remove(ordinal) }
            state.chooseSymbols(Bool.random(using: &random) ? .always : .never)
            let whole = state.data(of: state.current, ordinalCount: state.ordinalCount, parts: 1)
            for parts in 2...5 {
                let split = state.data(of: state.current, ordinalCount: state.ordinalCount, parts: parts)
                #expect(Self.difference(whole, split) == nil, "seed \(seed), \(parts) parts: \(Self.difference(whole, split) ?? "")")
            }
        }
    }

    /// The canonical encodings of 0 to 300 ordinals, about one in six a hole (nil).
    static func records(_ type: TypeSchema, _ random: inout Xoshiro) -> [[UInt8]?] {
        let count = Int.random(in: 0...300, using: &random)
        let large = Bool.random(using: &random)  // wide columns in one part only, at times
        return (0..<count).map { _ -> [UInt8]? in
            if Int.random(in: 0..<6, using: &random) == 0 { return nil }
            var bytes: [UInt8] = []
            switch type {
            case .object(let object):
                var record = ObjectRecord(object)
                let words = ["", "a", "ab", "alpha", "alphabet", "beta", String(repeating: "x", count: Int.random(in: 0...200, using: &random))]
                try! record.set("id", .long(Int64.random(in: large ? Int64.min ... Int64.max : 0...9, using: &random)))
                if Bool.random(using: &random) { try! record.set("name", .string(words.randomElement(using: &random)!)) }
                try! record.set("blob", .bytes(Array(words.randomElement(using: &random)!.utf8)))
                if Bool.random(using: &random) { try! record.set("score", .int(Int32.random(in: -5...5, using: &random))) }
                try! record.set("flag", .bool(Bool.random(using: &random)))
                if Bool.random(using: &random) { try! record.set("next", .reference(Int.random(in: 0...(large ? 1 << 20 : 10), using: &random))) }
                bytes = try! record.encoded()
            case .list:
                let elements = (0..<Int.random(in: 0...8, using: &random)).map { _ in Int.random(in: 0...50, using: &random) }
                Varint.append(UInt64(elements.count), to: &bytes)
                for element in elements { Varint.append(UInt64(element), to: &bytes) }
            case .set:
                let keys = Set((0..<Int.random(in: 0...8, using: &random)).map { _ in Int.random(in: 0...50, using: &random) }).sorted()
                Varint.append(UInt64(keys.count), to: &bytes)
                for key in keys { Varint.append(UInt64(key), to: &bytes) }
            case .map:
                let keys = Set((0..<Int.random(in: 0...8, using: &random)).map { _ in Int.random(in: 0...50, using: &random) }).sorted()
                Varint.append(UInt64(keys.count), to: &bytes)
                for key in keys {
                    Varint.append(UInt64(key), to: &bytes)
                    Varint.append(UInt64.random(in: 0...1_000, using: &random), to: &bytes)
                }
            }
            return bytes
        }
    }

    /// The storage of `records` built by one builder (no cuts) or by one builder a part.
    static func build(_ plan: TypePlan, _ records: [[UInt8]?], cuts: [Int], symbols: [SymbolTable?], lookups: [TypeDataBuilder.DictionaryLookup?]) -> TypeData {
        let bounds = [0] + cuts + [records.count]
        var builders: [TypeDataBuilder] = []
        for part in 0..<(bounds.count - 1) {
            var builder = TypeDataBuilder(plan: plan, symbols: symbols, dictionaries: lookups)
            for record in records[bounds[part]..<bounds[part + 1]] { builder.append(record) }
            builders.append(builder)
        }
        return cuts.isEmpty ? builders[0].build() : TypeDataBuilder.build(parts: &builders)
    }

    /// What differs between two storages, nil when nothing does.
    static func difference(_ a: TypeData, _ b: TypeData) -> String? {
        guard a.ordinalCount == b.ordinalCount, a.populatedCount == b.populatedCount else { return "counts \(a.ordinalCount)/\(a.populatedCount) and \(b.ordinalCount)/\(b.populatedCount)" }
        guard a.widths == b.widths else { return "widths \(a.widths) and \(b.widths)" }
        guard bits(a.populated, a.ordinalCount) == bits(b.populated, b.ordinalCount) else { return "populated bits" }
        guard bits(a.fixed, a.ordinalCount * a.recordBits) == bits(b.fixed, b.ordinalCount * b.recordBits) else { return "record bits" }
        guard a.pools.count == b.pools.count else { return "pool counts" }
        for (index, (x, y)) in zip(a.pools, b.pools).enumerated() {
            guard x.unitBits == y.unitBits, x.count == y.count, x.symbols === y.symbols else { return "pool \(index): shape" }
            guard bits(x.storage, x.unitBits * x.count) == bits(y.storage, y.unitBits * y.count) else { return "pool \(index): bits" }
        }
        return nil
    }

    static func bits(_ storage: BitStorage, _ count: Int) -> [UInt64] {
        stride(from: 0, to: count, by: 64).map { start in
            let width = min(64, count - start)
            return storage.handle.read(bit: start, width: width, mask: BitWidth.mask(width))
        }
    }
}

/// The writer's count of a type's values for its choice of dictionaries is split by hash into one
/// part a processor. Whatever the number of parts, the count must be the one a single pass gives,
/// and that count must be the distinct values themselves.
@Suite(.onTestThreads) struct ValueCountPartsTests {
    @Test func partsCountWhatOnePassCounts() async throws {
        await propertyCheck(count: 60, input: Gen.uint64(in: 0 ... .max)) { seed in
            var random = Xoshiro(seed: seed)
            guard case .object(let object) = TypeDataBuilderPartsTests.object else { return }
            var state = TypeWriteState(schema: TypeDataBuilderPartsTests.object)
            state.beginCycle()
            var distinct: [Set<[UInt8]>] = [[], []]  // name, blob
            var values = [0, 0]
            for record in TypeDataBuilderPartsTests.records(.object(object), &random) {
                guard let record else { continue }
                do { _ = try state.add(record) } catch { Issue.record("seed \(seed): \(error)"); return }
            }
            // What the state holds after dedup, counted directly from the records.
            state.forEachCurrentRecord { content in
                state.forEachPoolValue(content) { pool, value, _ in
                    values[pool] += 1
                    distinct[pool].insert(Array(value))
                }
            }
            let one = state.countValues(parts: 1)
            #expect(one.values == values, "seed \(seed)")
            #expect(one.distinct == distinct.map(\.count), "seed \(seed)")
            #expect(one.distinctBytes == distinct.map { $0.reduce(0) { $0 + $1.count } }, "seed \(seed)")
            for parts in 2...5 {
                let split = state.countValues(parts: parts)
                #expect(split.values == one.values && split.totalBytes == one.totalBytes && split.distinct == one.distinct
                        && split.distinctBytes == one.distinctBytes, "seed \(seed), \(parts) parts")
            }
        }
    }
}

/// How many parts a step is cut into: the processors of the affinity mask, at most 8.
@Suite(.onTestThreads) struct ParallelPartsTests {
    @Test func theAffinityMaskIsCountedFromProcStatus() {
        #expect(ParallelParts.allowedProcessors(status: "Name:\tx\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n") == 2)
        #expect(ParallelParts.allowedProcessors(status: "Cpus_allowed:\tff,ffffffff\n") == 40)
        #expect(ParallelParts.allowedProcessors(status: "Cpus_allowed_list:\t0-1\n") == nil)
        #expect(ParallelParts.allowedProcessors(status: "Cpus_allowed:\tzz\n") == nil)
        #expect((1...8).contains(ParallelParts.processorCount))
    }

    @Test func partsRunAndComeBackInOrder() {
        #expect(ParallelParts.map(0) { $0 }.isEmpty)
        #expect(ParallelParts.map(1) { $0 * 10 } == [0])
        #expect(ParallelParts.map(7) { String($0) } == ["0", "1", "2", "3", "4", "5", "6"])
    }
}
