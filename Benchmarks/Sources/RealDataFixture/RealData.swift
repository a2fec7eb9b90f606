import CatalogFixture
import HollowCore

/// The blobs of the two cycles of one dataset in one mapping.
public typealias RealDataBlobs = CatalogBlobs

/// What the second cycle changed.
public struct CycleChange: Sendable, CustomStringConvertible {
    public let modified: Int
    public let removed: Int
    public let added: Int
    public var description: String { "\(modified) new versions, \(removed) removed, \(added) added" }
}

public enum RealData {
    /// The rows of the first cycle from the text of the source file, each name once: where a name
    /// appears twice (bookworm has two stanzas each of `linux-doc` and `linux-source`), the first
    /// is kept and the names of the ones dropped are returned.
    public static func rows<M: RealDataModel>(_ model: M.Type, from text: [UInt8], file: String) throws -> (rows: [M.Row], duplicates: [String]) {
        let parsed = try M.parse(text, file: file)
        var seen = Set<String>(minimumCapacity: parsed.count)
        var rows: [M.Row] = []
        rows.reserveCapacity(parsed.count)
        var duplicates: [String] = []
        for row in parsed {
            if seen.insert(row.name).inserted { rows.append(row) } else { duplicates.append(row.name) }
        }
        return (rows, duplicates)
    }

    /// The rows of the second cycle, deterministically about 1% away from `rows`: every 100th row
    /// (the 51st, the 151st, ...) gets a new version, every 1,000th (the 1,000th, 2,000th, ...) is
    /// removed, and as many new rows are added at the end (each a copy of the row 500 before the
    /// removed one, under a new name).
    public static func secondCycle<M: RealDataModel>(_ model: M.Type, _ rows: [M.Row]) -> (rows: [M.Row], change: CycleChange) {
        var names = Set(rows.map(\.name))
        var next: [M.Row] = []
        next.reserveCapacity(rows.count)
        var added: [M.Row] = []
        var modified = 0
        for (index, row) in rows.enumerated() {
            if index % 1_000 == 999 {
                var fresh = rows[index - 500]
                var name = fresh.name + "-next"
                while names.contains(name) { name += "-next" }
                names.insert(name)
                fresh.name = name
                added.append(fresh)
                continue
            }
            var row = row
            if index % 100 == 50 {
                row.version = M.bumped(row.version)
                modified += 1
            }
            next.append(row)
        }
        next += added
        return (next, CycleChange(modified: modified, removed: added.count, added: added.count))
    }

    /// One producer cycle on `state`: every row added, the blobs written, the state committed.
    public static func cycle<M: RealDataModel>(_ model: M.Type, _ state: WriteState, _ rows: [M.Row], mapping: Mapping) throws -> CycleBlobs {
        try state.beginCycle()
        try M.populate(state, with: rows, mapping: mapping)
        guard let blobs = try state.writeBlobs() else { throw FixtureError("the cycle changed nothing") }
        // The snapshot is written when first asked for: a cycle here writes all three blobs, as
        // the figures compared with Java Hollow's always have.
        _ = blobs.snapshot
        state.commit()
        return blobs
    }

    /// The blobs of two cycles: `first` as a snapshot, then `second` as a snapshot, a delta from the
    /// first and a reverse delta back to it.
    public static func writeCycles<M: RealDataModel>(_ model: M.Type, mapping: Mapping, _ first: [M.Row], _ second: [M.Row]) throws -> RealDataBlobs {
        let state = WriteState(schema: try M.schema(mapping))
        let cycle1 = try cycle(M.self, state, first, mapping: mapping)
        let cycle2 = try cycle(M.self, state, second, mapping: mapping)
        guard let delta = cycle2.delta, let reverse = cycle2.reverseDelta else { throw FixtureError("the second cycle wrote no delta") }
        return RealDataBlobs(snapshot1: cycle1.snapshot, delta: delta, reverseDelta: reverse, snapshot2: cycle2.snapshot)
    }

    /// The baseline: the same rows in a `Dictionary` keyed by name.
    @inlinable
    public static func dictionary<Row: RealDataRow>(_ rows: [Row]) -> [String: Row] {
        var dictionary: [String: Row] = [:]
        dictionary.reserveCapacity(rows.count)
        for row in rows { dictionary[row.name] = row }
        return dictionary
    }

    /// Checks that `state` holds exactly `rows`: as many records, and every `sampleEvery`-th row
    /// found by its name and equal, field by field, to the record read back. Returns the number of
    /// rows compared and a description of the first mismatches.
    public static func verify<M: RealDataModel>(_ model: M.Type, _ state: ReadState, rows: [M.Row], mapping: Mapping,
                                                sampleEvery: Int = 1) throws -> (checked: Int, mismatches: [String]) {
        var mismatches: [String] = []
        let count = state.recordCount(M.recordType)
        if count != rows.count { mismatches.append("\(count) \(M.recordType) records, \(rows.count) rows") }
        let index = try PrimaryKeyIndex(state, type: M.recordType)
        let read = try M.rowReader(state, mapping: mapping)
        var checked = 0
        for position in stride(from: 0, to: rows.count, by: max(1, sampleEvery)) {
            let row = rows[position]
            checked += 1
            guard let ordinal = index.ordinal(row.name) else {
                mismatches.append("\(row.name): no record")
                continue
            }
            let back = read(ordinal)
            if back != row { mismatches.append("\(row.name): expected \(row), read \(back)") }
        }
        return (checked, mismatches)
    }

    /// Every record's name in a fixed random order (the same for the same set of names): the keys
    /// of the lookup benchmarks, for Hollow and for the Dictionary alike.
    public static func shuffledKeys(_ names: [String]) -> [String] {
        var random = SplitMix64(seed: 42)
        var keys = names.sorted()
        keys.shuffle(using: &random)
        return keys
    }

    /// `shuffledKeys` of a Dictionary's own keys, each copied into storage of its own, as a request
    /// brings a key. A key that shares the Dictionary's storage compares equal without its bytes
    /// being read (String's `==` checks for the same storage first): with the Dictionary's own keys,
    /// the baseline skipped a cache miss for every name of more than 15 bytes (29% of PyPI's).
    public static func requestKeys(_ dictionaryKeys: [String]) -> [String] {
        shuffledKeys(dictionaryKeys).map { String(decoding: Array($0.utf8), as: UTF8.self) }
    }

    /// The names of every record of the model's record type in `state`.
    public static func names<M: RealDataModel>(_ model: M.Type, in state: ReadState) throws -> [String] {
        let column = try StringColumn(state, type: M.recordType, field: "name")
        return column.records.ordinals.map { column.string($0) ?? "" }
    }
}
