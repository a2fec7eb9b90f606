// A plain driver over the benchmark fixture, for profilers (perf record, valgrind --tool=callgrind)
// and for quick figures outside package-benchmark:
//
//     swift build -c release --product HollowProfile
//     .build/release/HollowProfile [prepare|memory|cycle|load|delta|lookup|scan|index|all] [repeats]
//     .build/release/HollowProfile realdata [debian|pypi|all] [repeats]   (RealDataMode.swift)
//     .build/release/HollowProfile scale [repeats]   (ScaleMode.swift)
//     .build/release/HollowProfile scale-cycles [cycles]   (ScaleCyclesMode.swift)
//     .build/release/HollowProfile realdata-threads [debian|pypi|all] [lookups] [rounds]   (ThreadsMode.swift)
//
// HOLLOW_BENCH_MOVIES / HOLLOW_BENCH_PEOPLE shrink the catalog (callgrind is ~50x slower).
import CatalogFixture
import HollowCore
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments.dropFirst()
let command = arguments.first ?? "all"
if command == "realdata-threads" {
    do {
        try await runThreads(Array(arguments.dropFirst()))
    } catch {
        print("error: \(error)")
        exit(1)
    }
    exit(0)
}
if command.hasPrefix("realdata") {
    do {
        try runRealData(command, Array(arguments.dropFirst()))
    } catch {
        print("error: \(error)")
        exit(1)
    }
    exit(0)
}
if command == "scale-cycles" {
    do {
        try runScaleCycles(Array(arguments.dropFirst()))
    } catch {
        print("error: \(error)")
        exit(1)
    }
    exit(0)
}
if command == "scale" {
    do {
        try runScale(Array(arguments.dropFirst()))
    } catch {
        print("error: \(error)")
        exit(1)
    }
    exit(0)
}
let repeats = arguments.dropFirst().first.flatMap { Int($0) }
let parameters = CatalogParameters.fromEnvironment
let clock = ContinuousClock()

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// The least thread CPU time of `count` runs, in seconds (the wall clock counts the time other
/// processes hold the core; `HOLLOW_PROFILE_WALL=1` uses it anyway).
func best(_ count: Int, _ body: () throws -> Void) rethrows -> Double {
    let wall = Environment.value("HOLLOW_PROFILE_WALL") == "1"
    var best = Double.infinity
    for _ in 0..<count {
        if wall {
            best = min(best, seconds(try clock.measure(body)))
        } else {
            let start = threadCPUNanoseconds()
            try body()
            best = min(best, Double(threadCPUNanoseconds() - start) / 1e9)
        }
    }
    return best
}

enum Environment {
    static func value(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}

func mb(_ bytes: Int) -> String { String(Double(bytes / 10_000) / 100) + " MB" }

@inline(never) func consume<T>(_ value: T) { withExtendedLifetime(value) {} }

if command == "memory" {
    // Baseline first, in a fresh heap.
    let before = MemorySample.now()
    var dictionary: [Int64: MovieStruct]? = DictionaryBaseline.build(Catalog(parameters))
    let baseline = MemorySample.now().since(before)
    print("dictionary: heap \(mb(baseline.heapBytes)), RSS \(mb(baseline.residentBytes)), \(dictionary!.count) movies")
    dictionary = nil
    let blobs = try BlobCache.blobs(for: parameters)
    let start = MemorySample.now()
    let state = try ReadState(snapshot: blobs.snapshot1)
    let loaded = MemorySample.now().since(start)
    withExtendedLifetime(blobs) {}
    print("read state: memory.totalBytes \(mb(state.memory.totalBytes)), heap \(mb(loaded.heapBytes)), RSS \(mb(loaded.residentBytes))")
    for type in state.memory.types {
        print("  \(type.name): \(type.recordCount) records, \(type.bitsPerRecord) bits each, \(mb(type.totalBytes))",
              type.pools.map { "\($0.name) \(mb($0.bytes))" })
    }
    print("ratio: \(Double(state.memory.totalBytes) / Double(baseline.heapBytes) * 100)% (memory.totalBytes / dictionary heap)")
    exit(0)
}

if command == "cycle" {
    // Where a producer cycle's time goes: populating the write state, then writing the blobs
    // (snapshot, delta and reverse delta, LZ4), for cycles of a 1% change.
    let first = Catalog(parameters)
    let second = first.nextCycle().0
    let state = WriteState(schema: try HollowCatalog.schema())
    for (index, catalog) in [first, second, first, second].enumerated() {
        try state.beginCycle()
        let start = clock.now
        try HollowCatalog.populate(state, with: catalog)
        let populated = clock.now
        let blobs = try state.writeBlobs()!
        _ = blobs.snapshot  // written when first asked for: timed with the rest
        let written = clock.now
        state.commit()
        print("cycle \(index + 1): populate \(seconds(populated - start)) s, writeBlobs \(seconds(written - populated)) s",
              "(snapshot \(mb(blobs.snapshot.count)), delta \(mb(blobs.delta?.count ?? 0)), reverse \(mb(blobs.reverseDelta?.count ?? 0)))")
    }
    exit(0)
}

/// The floor under `cycle`'s populate: building the same records and element arrays as
/// HollowCatalog.populate, without adding them to a write state.
func buildRecordsOnly(_ catalog: Catalog) throws -> Int {
    let schema = try HollowCatalog.schema()
    let personSchema = schema.object("Person")!, movieSchema = schema.object("Movie")!
    var sum = 0
    for person in catalog.people {
        var record = ObjectRecord(personSchema)
        try record.set(fieldAt: 0, .string(person.name))
        try record.set(fieldAt: 1, person.born.map { .int($0) })
        sum &+= record.values.count
    }
    for (index, movie) in catalog.movies.enumerated() {
        var record = ObjectRecord(movieSchema)
        try record.set(fieldAt: 0, .long(movie.id))
        try record.set(fieldAt: 1, .string(movie.title))
        try record.set(fieldAt: 2, .int(movie.year))
        try record.set(fieldAt: 3, movie.rating.map { .double($0) })
        let genres = movie.genres.map { $0 &+ index }
        let cast = movie.cast.map { $0 &+ index }
        try record.set(fieldAt: 4, .reference(genres.count))
        try record.set(fieldAt: 5, .reference(cast.count))
        try record.set(fieldAt: 6, movie.director.map { .reference($0) })
        sum &+= record.values.count &+ genres.count &+ cast.count
        consume(record)
    }
    return sum
}

if command == "records" {
    let catalog = Catalog(parameters)
    let start = clock.now
    let sum = try buildRecordsOnly(catalog)
    print("records only (populate's floor): \(seconds(clock.now - start)) s (\(sum))")
    exit(0)
}

if command == "dump" || command == "restore" {
    // `dump DIR` writes the blobs of three cycles (first, second, first) and of a cycle after a
    // restore, to compare the bytes two builds write (state ids aside): see docs/PERFORMANCE.md.
    // `restore` times WriteState(restoring:) from the first snapshot.
    let directory = arguments.dropFirst().first ?? "/tmp/hollow-dump"
    let first = Catalog(parameters)
    let second = first.nextCycle().0
    let state = WriteState(schema: try HollowCatalog.schema())
    var snapshots: [[UInt8]] = []
    func write(_ name: String, _ bytes: [UInt8]?) {
        guard command == "dump", let bytes else { return }
        let file = fopen("\(directory)/\(name).lz4", "wb")!
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }
    if command == "dump" { mkdir(directory, 0o755) }
    for (index, catalog) in [first, second, first].enumerated() {
        try state.beginCycle()
        try HollowCatalog.populate(state, with: catalog)
        let blobs = try state.writeBlobs()!
        state.commit()
        write("cycle\(index + 1)-snapshot", blobs.snapshot)
        write("cycle\(index + 1)-delta", blobs.delta)
        write("cycle\(index + 1)-reverse", blobs.reverseDelta)
        snapshots.append(blobs.snapshot)
        if command == "restore" { break }
    }
    let read = try ReadState(snapshot: snapshots.last!)
    let start = clock.now
    let restored = WriteState(restoring: read)
    let restoredAt = clock.now
    try restored.beginCycle()
    try HollowCatalog.populate(restored, with: second)
    let blobs = try restored.writeBlobs()!
    _ = blobs.snapshot  // written when first asked for: timed with the rest
    print("restore: WriteState(restoring:) \(seconds(restoredAt - start)) s, then populate + writeBlobs \(seconds(clock.now - restoredAt)) s")
    write("restored-snapshot", blobs.snapshot)
    write("restored-delta", blobs.delta)
    write("restored-reverse", blobs.reverseDelta)
    exit(0)
}

let prepareStart = clock.now
let blobs = try BlobCache.blobs(for: parameters)
let sizes = [blobs.snapshot1, blobs.delta, blobs.snapshot2].map { (compressed: $0.count, uncompressed: lz4ContentSize($0) ?? 0) }
print("fixture \(parameters): ready in \(seconds(clock.now - prepareStart)) s")
print("snapshot1 \(mb(sizes[0].compressed)) (\(mb(sizes[0].uncompressed)) uncompressed), delta \(mb(sizes[1].compressed)) (\(mb(sizes[1].uncompressed))), snapshot2 \(mb(sizes[2].compressed)) (\(mb(sizes[2].uncompressed)))")
if command == "prepare" { exit(0) }

let state1 = try ReadState(snapshot: blobs.snapshot1)
let movies = state1.objectType("Movie")!
let title = movies.field("title")!
let year = movies.field("year")!
let idField = movies.field("id")!

if command == "load" || command == "all" {
    let time = try best(repeats ?? 5) { consume(try ReadState(snapshot: blobs.snapshot2)) }
    print("snapshot load: \(time * 1e3) ms, \(Double(sizes[2].uncompressed) / time / 1e9) GB/s uncompressed, \(Double(sizes[2].compressed) / time / 1e9) GB/s compressed")
}
if command == "delta" || command == "all" {
    let time = try best(repeats ?? 5) { consume(try state1.applying(delta: blobs.delta)) }
    print("delta apply: \(time * 1e3) ms")
}
if command == "lookup" || command == "all" {
    let index = try PrimaryKeyIndex(state1, type: "Movie")
    var ids: [Int64] = movies.ordinals.map { movies.long($0, idField)! }
    var random = SplitMix64(seed: 7)
    ids.shuffle(using: &random)
    let rounds = repeats ?? 3
    var sum = 0
    let time = best(rounds) {
        for id in ids {
            let ordinal = index.ordinal(id)!
            sum &+= movies.withBytes(ordinal, title) { $0.count &+ Int($0[0]) }!
        }
    }
    print("pk lookup + title bytes: \(time / Double(ids.count) * 1e9) ns/lookup (\(sum))")
}
if command == "scan" || command == "all" {
    let rounds = repeats ?? 10
    var sum = 0
    let dense = best(rounds) { for ordinal in 0..<movies.ordinalCount { sum &+= Int(movies.int(ordinal, year)!) } }
    let populated = best(rounds) { for ordinal in movies.ordinals { sum &+= Int(movies.int(ordinal, year)!) } }
    print("year scan: \(dense / Double(movies.ordinalCount) * 1e9) ns/record dense, \(populated / Double(movies.recordCount) * 1e9) ns/record via ordinals (\(sum))")
}
if command == "index" || command == "all" {
    let state2 = try state1.applying(delta: blobs.delta)
    let index = try PrimaryKeyIndex(state1, type: "Movie")
    let rounds = repeats ?? 5
    let fresh = try best(rounds) { consume(try PrimaryKeyIndex(state2, type: "Movie")) }
    let updated = try best(rounds) { consume(try index.updated(to: state2)) }
    print("index: fresh \(fresh * 1e3) ms, updated \(updated * 1e3) ms, \(fresh / updated)x")
}
if command == "baseline" || command == "all" {
    let dictionary = DictionaryBaseline.build(Catalog(parameters))
    var ids = Array(dictionary.keys)
    var random = SplitMix64(seed: 7)
    ids.shuffle(using: &random)
    var sum = 0
    let lookup = best(repeats ?? 3) {
        for id in ids {
            sum &+= dictionary[id]!.title.utf8.withContiguousStorageIfAvailable { $0.count &+ Int($0[0]) }!
        }
    }
    let scan = best(repeats ?? 3) { for movie in dictionary.values { sum &+= movie.year } }
    print("dictionary: lookup + title utf8 \(lookup / Double(ids.count) * 1e9) ns/lookup, year scan \(scan / Double(dictionary.count) * 1e9) ns/record (\(sum))")
    // Calibration: dependent-free random reads of one UInt64 from an array of the size of Movie's records.
    let words = [UInt64](repeating: 1, count: max(1, movies.ordinalCount * 3))
    var positions = (0..<ids.count).map { _ in random.below(words.count) }
    positions.shuffle(using: &random)
    let raw = best(repeats ?? 3) { for position in positions { sum &+= Int(words[position]) } }
    print("calibration: random UInt64 read from \(mb(words.count * 8)): \(raw / Double(positions.count) * 1e9) ns/read (\(sum))")
}
if command == "ab-lookup" {
    // Hollow and Dictionary lookups in alternating rounds, so both see the same machine load.
    let index = try PrimaryKeyIndex(state1, type: "Movie")
    let dictionary = DictionaryBaseline.build(Catalog(parameters))
    var random = SplitMix64(seed: 42)
    var ids = dictionary.keys.sorted()
    ids.shuffle(using: &random)
    let rounds = repeats ?? 20
    let chunk = 100_000
    var hollow: [Double] = [], baseline: [Double] = []
    var sum = 0
    for round in 0..<rounds {
        let slice = ids[(round * chunk) % ids.count..<min(ids.count, (round * chunk) % ids.count + chunk)]
        var start = threadCPUNanoseconds()
        for id in slice {
            let ordinal = index.ordinal(id)!
            sum &+= movies.withBytes(ordinal, title) { $0.count &+ Int($0[0]) }!
        }
        hollow.append(Double(threadCPUNanoseconds() - start) / Double(slice.count))
        start = threadCPUNanoseconds()
        for id in slice {
            let movie = dictionary[id]!
            sum &+= movie.title.utf8.withContiguousStorageIfAvailable { $0.count &+ Int($0[0]) }!
        }
        baseline.append(Double(threadCPUNanoseconds() - start) / Double(slice.count))
    }
    hollow.sort(); baseline.sort()
    print("ab-lookup CPU ns/lookup: Hollow min \(hollow[0]) median \(hollow[rounds / 2]); Dictionary min \(baseline[0]) median \(baseline[rounds / 2]); ratio of medians \(hollow[rounds / 2] / baseline[rounds / 2]) (\(sum))")
}
if command == "verify" || command == "all" {
    // The state reached by the delta must hold what the second snapshot holds (a check of the
    // fixture, and of a core change being profiled).
    let viaDelta = try state1.applying(delta: blobs.delta)
    let direct = try ReadState(snapshot: blobs.snapshot2)
    var mismatches = 0
    for name in ["Person", "Genre", "Movie"] {
        let a = viaDelta.objectType(name)!, b = direct.objectType(name)!
        guard a.recordCount == b.recordCount, Array(a.ordinals) == Array(b.ordinals) else { mismatches += 1; continue }
        for ordinal in a.ordinals {
            for (fa, fb) in zip(a.fields, b.fields) {
                let same: Bool
                switch fa.type {
                case .string, .bytes: same = a.bytes(ordinal, fa) == b.bytes(ordinal, fb)
                case .int: same = a.int(ordinal, fa) == b.int(ordinal, fb)
                case .long: same = a.long(ordinal, fa) == b.long(ordinal, fb)
                case .double: same = a.double(ordinal, fa)?.bitPattern == b.double(ordinal, fb)?.bitPattern
                case .float: same = a.float(ordinal, fa)?.bitPattern == b.float(ordinal, fb)?.bitPattern
                case .bool: same = a.bool(ordinal, fa) == b.bool(ordinal, fb)
                case .reference: same = a.reference(ordinal, fa) == b.reference(ordinal, fb)
                }
                if !same { mismatches += 1 }
            }
        }
    }
    let castA = viaDelta.listType("CastList")!, castB = direct.listType("CastList")!
    for ordinal in castA.ordinals where castA.elements(ordinal) != castB.elements(ordinal) { mismatches += 1 }
    let setA = viaDelta.hashedType("GenreSet")!, setB = direct.hashedType("GenreSet")!
    for ordinal in setA.ordinals where setA.elements(ordinal).sorted() != setB.elements(ordinal).sorted() { mismatches += 1 }
    print("verify: state1 + delta \(mismatches == 0 ? "equals" : "DIFFERS FROM") snapshot2 (\(mismatches) mismatches)")
}
