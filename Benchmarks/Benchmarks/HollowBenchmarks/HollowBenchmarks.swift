// The performance targets of swift-hollow, each measured against the plain Swift alternative (a
// `Dictionary<Int64, MovieStruct>`) in the same run. See docs/PERFORMANCE.md for the dataset, the
// targets and the figures. Run from Benchmarks/:
//
//     swift package benchmark --no-progress
//
// package-benchmark runs every benchmark in a process of its own, so each one builds what it needs
// lazily (`Prepared`) before `startMeasurement()`; the catalog's blobs are cached on disk
// (`BlobCache`), keyed by the sources that write them.
//
// Besides the wall clock, every benchmark reports the thread CPU time of the measured region
// ("CPU ..." metrics): this machine has two cores shared with other work, and the wall clock
// counts the time another process holds the core.
import Benchmark
import BenchmarkSupport
import CatalogFixture
import HollowCore

// MARK: - Fixture (one per process)

/// The catalog's blobs, loaded once per benchmark process and kept for its whole life.
let fixture: Fixture = {
    do { return try Fixture(.fromEnvironment) } catch { fatalError("cannot prepare the fixture: \(error)") }
}()

final class Fixture: Sendable {
    let parameters: CatalogParameters
    let blobs: CatalogBlobs
    let snapshot2Size: Int
    let deltaSize: Int

    init(_ parameters: CatalogParameters) throws {
        self.parameters = parameters
        blobs = try BlobCache.blobs(for: parameters)
        snapshot2Size = lz4ContentSize(blobs.snapshot2) ?? 0
        deltaSize = lz4ContentSize(blobs.delta) ?? 0
    }
}

/// What the benchmarks work on, made on first use (before `startMeasurement()`), once per process.
enum Prepared {
    /// The state of the first cycle, from its snapshot.
    static let state1 = try! ReadState(snapshot: fixture.blobs.snapshot1)
    /// The state of the second cycle, from the first by the 1% delta.
    static let state2 = try! state1.applying(delta: fixture.blobs.delta)
    static let movies1 = state1.objectType("Movie")!
    static let title1 = movies1.field("title")!
    static let year1 = movies1.field("year")!
    static let index1 = try! PrimaryKeyIndex(state1, type: "Movie")
    /// Every movie id of the first cycle in a fixed random order (no locality to exploit); the
    /// Dictionary benchmarks look up the same ids in the same order.
    static let ids = shuffledIDs(movies1.ordinals.map { movies1.long($0, movies1.field("id")!)! })
    static let dictionary = DictionaryBaseline.build(Catalog(fixture.parameters))
    static let dictionaryIDs = shuffledIDs(Array(dictionary.keys))
}

func shuffledIDs(_ ids: [Int64]) -> [Int64] {
    var random = SplitMix64(seed: 42)
    var ids = ids.sorted()
    ids.shuffle(using: &random)
    return ids
}

/// Where a lookup benchmark is in its list of ids (each benchmark has its own process).
nonisolated(unsafe) var cursor = 0

// The scans, as a user writes them: a plain function over the whole type (kept out of line, so
// that each is compiled as it would be in the user's code).

@inline(never)
func sumDense(_ movies: ObjectTypeReadState, _ year: FieldHandle) -> Int {
    var sum = 0
    for ordinal in 0..<movies.ordinalCount { sum &+= Int(movies.int(ordinal, year) ?? 0) }
    return sum
}

@inline(never)
func sumPopulated(_ movies: ObjectTypeReadState, _ year: FieldHandle) -> Int {
    var sum = 0
    for ordinal in movies.ordinals { sum &+= Int(movies.int(ordinal, year) ?? 0) }
    return sum
}

@inline(never)
func sumYears(_ movies: [Int64: MovieStruct]) -> Int {
    var sum = 0
    for movie in movies.values { sum &+= movie.year }
    return sum
}

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
    let tags = ["movies": String(CatalogParameters.fromEnvironment.movieCount)]

    // MARK: Memory: read state vs Dictionary

    // One process, the baseline first in a fresh heap: the growth of the C heap (mallinfo2, every
    // arena, mmapped chunks included) and of the resident set while the Dictionary is built from
    // the generator and the generator's own arrays are dropped; then the same while the read state
    // loads the first snapshot, and what the read state accounts for itself (`memory.totalBytes`).
    let memoryMetrics: [BenchmarkMetric] = [
        .custom("Dictionary heap bytes", useScalingFactor: false),
        .custom("Dictionary RSS bytes", useScalingFactor: false),
        .custom("ReadState memory.totalBytes", useScalingFactor: false),
        .custom("ReadState heap bytes", useScalingFactor: false),
        .custom("ReadState RSS bytes", useScalingFactor: false),
        .custom("ReadState % of Dictionary heap (x100)", useScalingFactor: false),
    ]
    Benchmark("Memory: ReadState vs Dictionary",
              configuration: .init(metrics: memoryMetrics, tags: tags, warmupIterations: 0,
                                   maxDuration: .seconds(600), maxIterations: 1)) { benchmark in
        let beforeDictionary = MemorySample.now()
        var dictionary: [Int64: MovieStruct]? = DictionaryBaseline.build(Catalog(.fromEnvironment))
        let dictionaryGrowth = MemorySample.now().since(beforeDictionary)
        blackHole(dictionary!.count)
        dictionary = nil

        let blobs = fixture.blobs
        let beforeState = MemorySample.now()
        let state = try! ReadState(snapshot: blobs.snapshot1)
        let stateGrowth = MemorySample.now().since(beforeState)
        let total = state.memory.totalBytes
        withExtendedLifetime(blobs) {}
        withExtendedLifetime(state) {}

        benchmark.measurement(memoryMetrics[0], dictionaryGrowth.heapBytes)
        benchmark.measurement(memoryMetrics[1], dictionaryGrowth.residentBytes)
        benchmark.measurement(memoryMetrics[2], total)
        benchmark.measurement(memoryMetrics[3], stateGrowth.heapBytes)
        benchmark.measurement(memoryMetrics[4], stateGrowth.residentBytes)
        benchmark.measurement(memoryMetrics[5], total * 10_000 / max(1, dictionaryGrowth.heapBytes))
    }

    // MARK: Lookup by primary key, then one string field's bytes

    // 1,000 lookups of distinct random movies per iteration. The time metrics are shown per lookup;
    // the malloc count per lookup too, unless run with `--scale`, which shows the raw count per
    // iteration of 1,000 lookups (the honest check that it is zero).
    let lookupMetrics: [BenchmarkMetric] = [
        .wallClock, .mallocCountTotal, .custom("CPU ns per lookup", useScalingFactor: false),
    ]
    let lookupConfiguration = Benchmark.Configuration(
        metrics: lookupMetrics, tags: tags, warmupIterations: 10, scalingFactor: .kilo,
        maxDuration: .seconds(4), maxIterations: 100_000)

    Benchmark("Lookup: Hollow PrimaryKeyIndex.ordinal + withBytes(title)", configuration: lookupConfiguration) { benchmark in
        let movies = Prepared.movies1, title = Prepared.title1, index = Prepared.index1, ids = Prepared.ids
        var position = cursor
        let (_, _, cpu) = measured(benchmark) {
            for _ in benchmark.scaledIterations {
                let ordinal = index.ordinal(ids[position]).unsafelyUnwrapped
                blackHole(movies.withBytes(ordinal, title) { $0.count &+ Int($0[0]) }.unsafelyUnwrapped)
                position &+= 1
                if position == ids.count { position = 0 }
            }
        }
        cursor = position
        benchmark.measurement(lookupMetrics[2], cpu / benchmark.scaledIterations.count)
    }

    Benchmark("Lookup: Dictionary[id] + title.utf8", configuration: lookupConfiguration) { benchmark in
        let dictionary = Prepared.dictionary, ids = Prepared.dictionaryIDs
        var position = cursor
        let (_, _, cpu) = measured(benchmark) {
            for _ in benchmark.scaledIterations {
                let movie = dictionary[ids[position]].unsafelyUnwrapped
                blackHole(movie.title.utf8.withContiguousStorageIfAvailable { $0.count &+ Int($0[0]) }.unsafelyUnwrapped)
                position &+= 1
                if position == ids.count { position = 0 }
            }
        }
        cursor = position
        benchmark.measurement(lookupMetrics[2], cpu / benchmark.scaledIterations.count)
    }

    // MARK: Read one int field of every record

    // One pass over every movie per iteration. Time is shown per record (integer nanoseconds);
    // the "ps per record" metrics give the precision the < 2 ns target needs.
    let scanMetrics: [BenchmarkMetric] = [
        .wallClock, .mallocCountTotal,
        .custom("wall ps per record", useScalingFactor: false),
        .custom("CPU ps per record", useScalingFactor: false),
    ]
    let scanConfiguration = Benchmark.Configuration(
        metrics: scanMetrics, tags: tags, warmupIterations: 3, scalingFactor: .mega,
        maxDuration: .seconds(5), maxIterations: 1_000)

    func recordScan(_ benchmark: Benchmark, records: Int, wall: Int, cpu: Int) {
        benchmark.measurement(scanMetrics[2], wall * 1_000 / max(1, records))
        benchmark.measurement(scanMetrics[3], cpu * 1_000 / max(1, records))
    }

    Benchmark("Scan: Hollow int(year) for ordinal in 0..<ordinalCount", configuration: scanConfiguration) { benchmark in
        let movies = Prepared.movies1, year = Prepared.year1
        let (sum, wall, cpu) = measured(benchmark) { sumDense(movies, year) }
        blackHole(sum)
        recordScan(benchmark, records: movies.ordinalCount, wall: wall, cpu: cpu)
    }

    Benchmark("Scan: Hollow int(year) for ordinal in ordinals", configuration: scanConfiguration) { benchmark in
        let movies = Prepared.movies1, year = Prepared.year1
        let (sum, wall, cpu) = measured(benchmark) { sumPopulated(movies, year) }
        blackHole(sum)
        recordScan(benchmark, records: movies.recordCount, wall: wall, cpu: cpu)
    }

    Benchmark("Scan: Dictionary for movie in values, movie.year", configuration: scanConfiguration) { benchmark in
        let dictionary = Prepared.dictionary
        let (sum, wall, cpu) = measured(benchmark) { sumYears(dictionary) }
        blackHole(sum)
        recordScan(benchmark, records: dictionary.count, wall: wall, cpu: cpu)
    }

    // MARK: Snapshot load, delta apply

    let loadMetrics: [BenchmarkMetric] = [
        .wallClock, .mallocCountTotal,
        .custom("CPU us", useScalingFactor: false),
        .custom("uncompressed MB/s (wall)", polarity: .prefersLarger, useScalingFactor: false),
        .custom("uncompressed MB/s (CPU)", polarity: .prefersLarger, useScalingFactor: false),
        .custom("uncompressed bytes", useScalingFactor: false),
        .custom("compressed bytes", useScalingFactor: false),
    ]
    Benchmark("Load: ReadState(snapshot:) of cycle 2",
              configuration: .init(metrics: loadMetrics, tags: tags, warmupIterations: 2,
                                   maxDuration: .seconds(15), maxIterations: 50)) { benchmark in
        let blob = fixture.blobs.snapshot2
        var checksum = 0
        for byte in blob where byte == 0x5A { checksum &+= 1 }  // the blob is resident before the clock starts
        blackHole(checksum)
        let (state, wall, cpu) = measured(benchmark) { try! ReadState(snapshot: blob) }
        blackHole(state)
        benchmark.measurement(loadMetrics[2], cpu / 1_000)
        benchmark.measurement(loadMetrics[3], fixture.snapshot2Size * 1_000 / max(1, wall))
        benchmark.measurement(loadMetrics[4], fixture.snapshot2Size * 1_000 / max(1, cpu))
        benchmark.measurement(loadMetrics[5], fixture.snapshot2Size)
        benchmark.measurement(loadMetrics[6], blob.count)
    }

    let deltaMetrics: [BenchmarkMetric] = [
        .wallClock, .mallocCountTotal,
        .custom("CPU us", useScalingFactor: false),
        .custom("delta % of snapshot load, wall (x100)", useScalingFactor: false),
        .custom("delta % of snapshot load, CPU (x100)", useScalingFactor: false),
        .custom("delta uncompressed bytes", useScalingFactor: false),
    ]
    Benchmark("Delta: ReadState.applying(delta:) 1% change",
              configuration: .init(metrics: deltaMetrics, tags: tags, warmupIterations: 2,
                                   maxDuration: .seconds(15), maxIterations: 50)) { benchmark in
        let state = Prepared.state1
        let delta = fixture.blobs.delta
        // The snapshot load of the same destination state, timed in the same iteration just before
        // (not part of the measured region), so that the ratio compares like with like.
        let cpuStart = threadCPUNanoseconds()
        let start = clock.now
        blackHole(try! ReadState(snapshot: fixture.blobs.snapshot2))
        let snapshotWall = nanoseconds(clock.now - start)
        let snapshotCPU = threadCPUNanoseconds() - cpuStart
        let (next, wall, cpu) = measured(benchmark) { try! state.applying(delta: delta) }
        blackHole(next)
        benchmark.measurement(deltaMetrics[2], cpu / 1_000)
        benchmark.measurement(deltaMetrics[3], wall * 10_000 / max(1, snapshotWall))
        benchmark.measurement(deltaMetrics[4], cpu * 10_000 / max(1, snapshotCPU))
        benchmark.measurement(deltaMetrics[5], fixture.deltaSize)
    }

    // MARK: Index after a delta

    let indexMetrics: [BenchmarkMetric] = [.wallClock, .mallocCountTotal, .custom("CPU us", useScalingFactor: false)]
    let indexConfiguration = Benchmark.Configuration(
        metrics: indexMetrics, tags: tags, warmupIterations: 2, maxDuration: .seconds(10), maxIterations: 100)

    Benchmark("Index: PrimaryKeyIndex.updated(to:) after the 1% delta", configuration: indexConfiguration) { benchmark in
        let index = Prepared.index1, state2 = Prepared.state2
        let (updated, _, cpu) = measured(benchmark) { try! index.updated(to: state2) }
        blackHole(updated)
        benchmark.measurement(indexMetrics[2], cpu / 1_000)
    }

    Benchmark("Index: PrimaryKeyIndex(_:type:) built fresh on the same state", configuration: indexConfiguration) { benchmark in
        let state2 = Prepared.state2
        let (index, _, cpu) = measured(benchmark) { try! PrimaryKeyIndex(state2, type: "Movie") }
        blackHole(index)
        benchmark.measurement(indexMetrics[2], cpu / 1_000)
    }
}
