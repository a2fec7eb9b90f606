// Benchmarks on real-shaped data: Debian's package index and the PyPI project list, each in two
// schema mappings (plain strings; repeated values shared through one-field types), against a
// `[String: Row]` Dictionary of the same parsed rows in the same run. See docs/PERFORMANCE.md,
// "Real data: Debian's package index and PyPI". Run from Benchmarks/:
//
//     swift package benchmark --no-progress --target RealDataBenchmarks
//     swift package benchmark --no-progress --target RealDataBenchmarks --filter "PyPI.*"
//
// The source files are found as `RealDataFixture.Dataset.locate()` says (HOLLOW_BENCH_DEBIAN and
// HOLLOW_BENCH_PYPI override them, `off` skips one); a dataset whose file is missing is skipped with
// a message. package-benchmark runs every benchmark in a process of its own: each one loads what it
// needs on first use (`RealDataSession`), before `startMeasurement()`; the blobs are cached on disk
// (`RealDataCache`). Every time benchmark also reports the thread CPU time of its measured region
// ("CPU ..." metrics): the two cores of this machine are shared.
import Benchmark
import BenchmarkSupport
import CatalogFixture
import Foundation
import HollowCore
import RealDataFixture

/// The benchmark stops with the error, not a crash without a message.
func must<T>(_ what: String, _ body: () throws -> T) -> T {
    do { return try body() } catch { fatalError("\(what): \(error)") }
}

/// Where a lookup benchmark is in its list of keys (each benchmark has its own process).
nonisolated(unsafe) var cursor = 0

/// Touches every page of a blob, so that it is resident before the clock starts.
func touch(_ blob: [UInt8]) {
    var checksum = 0
    for byte in blob where byte == 0x5A { checksum &+= 1 }
    blackHole(checksum)
}

// MARK: - Configurations

/// The custom metrics printed as they are (package-benchmark would show 11,263 us as "11 (K)").
func exact(_ metrics: [BenchmarkMetric]) -> [BenchmarkMetric: BenchmarkUnits] {
    var units: [BenchmarkMetric: BenchmarkUnits] = [:]
    for metric in metrics {
        if case .custom = metric { units[metric] = .count }
    }
    return units
}

let timeMetrics: [BenchmarkMetric] = [.wallClock, .mallocCountTotal, .custom("CPU us", useScalingFactor: false)]

func timeConfiguration(_ tags: [String: String], seconds: Int = 15, iterations: Int = 50) -> Benchmark.Configuration {
    .init(metrics: timeMetrics, tags: tags, units: exact(timeMetrics), warmupIterations: 2, maxDuration: .seconds(seconds), maxIterations: iterations)
}

// 1,000 lookups of distinct random keys per iteration; time per lookup (`--scale` shows the raw
// malloc count per iteration).
let lookupMetrics: [BenchmarkMetric] = [.wallClock, .mallocCountTotal, .custom("CPU ns per lookup", useScalingFactor: false)]

func lookupConfiguration(_ tags: [String: String]) -> Benchmark.Configuration {
    .init(metrics: lookupMetrics, tags: tags, units: exact(lookupMetrics), warmupIterations: 10, scalingFactor: .kilo,
          maxDuration: .seconds(4), maxIterations: 100_000)
}

let scanMetrics: [BenchmarkMetric] = [
    .wallClock, .mallocCountTotal,
    .custom("wall ps per record", useScalingFactor: false),
    .custom("CPU ps per record", useScalingFactor: false),
]

func scanConfiguration(_ tags: [String: String]) -> Benchmark.Configuration {
    .init(metrics: scanMetrics, tags: tags, units: exact(scanMetrics), warmupIterations: 3, maxDuration: .seconds(5), maxIterations: 1_000)
}

func recordScan(_ benchmark: Benchmark, records: Int, wall: Int, cpu: Int) {
    benchmark.measurement(scanMetrics[2], wall * 1_000 / max(1, records))
    benchmark.measurement(scanMetrics[3], cpu * 1_000 / max(1, records))
}

// MARK: - One dataset

/// Registers every benchmark of one dataset, or says why it is skipped.
func register<M: RealDataModel>(_ model: M.Type) {
    let session: RealDataSession<M>
    switch RealDataSession<M>.open() {
    case .success(let opened): session = opened
    case .failure(let error):
        FileHandle.standardError.write(Data("RealDataBenchmarks: \(M.dataset.title): \(error)\n".utf8))
        return
    }
    let title = M.dataset.title
    let tags = ["dataset": M.dataset.rawValue]

    for mapping in Mapping.allCases {
        let label = "\(title) \(mapping)"
        let tags = tags.merging(["mapping": mapping.rawValue]) { $1 }

        // MARK: Memory of the loaded state

        // One process, a fresh heap: the growth of the C heap (mallinfo2) and of the resident set
        // while the first snapshot loads (the blob itself resident before), what the state counts
        // itself (`memory.totalBytes`), and the same growth while its primary-key index is built.
        let memoryMetrics: [BenchmarkMetric] = [
            .custom("records", useScalingFactor: false),
            .custom("memory.totalBytes", useScalingFactor: false),
            .custom("heap bytes", useScalingFactor: false),
            .custom("RSS bytes", useScalingFactor: false),
            .custom("memory.totalBytes per record", useScalingFactor: false),
            .custom("heap bytes per record", useScalingFactor: false),
            .custom("RSS bytes per record", useScalingFactor: false),
            .custom("index heap bytes", useScalingFactor: false),
            .custom("index RSS bytes", useScalingFactor: false),
        ]
        Benchmark("\(label): memory of the loaded state and its index",
                  configuration: .init(metrics: memoryMetrics, tags: tags, units: exact(memoryMetrics), warmupIterations: 0,
                                       maxDuration: .seconds(600), maxIterations: 1)) { benchmark in
            let blob = must("blobs") { try session.blobs(mapping).snapshot1 }
            session.dropSource()
            touch(blob)
            let before = MemorySample.now()
            let state = must("load") { try ReadState(snapshot: blob) }
            let loaded = MemorySample.now()
            let index = must("index") { try PrimaryKeyIndex(state, type: M.recordType) }
            let indexed = MemorySample.now()
            withExtendedLifetime(index) {}
            withExtendedLifetime(blob) {}
            let growth = loaded.since(before), indexGrowth = indexed.since(loaded)
            let records = state.recordCount(M.recordType), total = state.memory.totalBytes
            let values = [records, total, growth.heapBytes, growth.residentBytes,
                          total / max(1, records), growth.heapBytes / max(1, records), growth.residentBytes / max(1, records),
                          indexGrowth.heapBytes, indexGrowth.residentBytes]
            for (metric, value) in zip(memoryMetrics, values) { benchmark.measurement(metric, value) }
        }

        // MARK: Start-up: snapshot load, primary-key index, both

        let loadMetrics: [BenchmarkMetric] = timeMetrics + [
            .custom("uncompressed MB/s (CPU)", polarity: .prefersLarger, useScalingFactor: false),
            .custom("uncompressed bytes", useScalingFactor: false),
            .custom("compressed bytes", useScalingFactor: false),
        ]
        Benchmark("\(label): snapshot load",
                  configuration: .init(metrics: loadMetrics, tags: tags, units: exact(loadMetrics), warmupIterations: 2,
                                       maxDuration: .seconds(15), maxIterations: 50)) { benchmark in
            let blob = must("blobs") { try session.blobs(mapping).snapshot1 }
            touch(blob)
            let (state, _, cpu) = measured(benchmark) { must("load") { try ReadState(snapshot: blob) } }
            blackHole(state)
            let size = lz4ContentSize(blob) ?? 0
            benchmark.measurement(loadMetrics[2], cpu / 1_000)
            benchmark.measurement(loadMetrics[3], size * 1_000 / max(1, cpu))
            benchmark.measurement(loadMetrics[4], size)
            benchmark.measurement(loadMetrics[5], blob.count)
        }

        Benchmark("\(label): primary-key index build", configuration: timeConfiguration(tags)) { benchmark in
            let state = must("state") { try session.firstState(mapping).state }
            let (index, _, cpu) = measured(benchmark) { must("index") { try PrimaryKeyIndex(state, type: M.recordType) } }
            blackHole(index)
            benchmark.measurement(timeMetrics[2], cpu / 1_000)
        }

        Benchmark("\(label): start-up, snapshot load + primary-key index", configuration: timeConfiguration(tags)) { benchmark in
            let blob = must("blobs") { try session.blobs(mapping).snapshot1 }
            touch(blob)
            let (index, _, cpu) = measured(benchmark) {
                must("start-up") { try PrimaryKeyIndex(try ReadState(snapshot: blob), type: M.recordType) }
            }
            blackHole(index)
            benchmark.measurement(timeMetrics[2], cpu / 1_000)
        }

        // MARK: Lookup, scan

        Benchmark("\(label): lookup by name + version's bytes", configuration: lookupConfiguration(tags)) { benchmark in
            let (state, index) = must("state") { try session.firstState(mapping) }
            let lookup = must("handles") { try VersionLookup(state, index: index, type: M.recordType) }
            let keys = must("keys") { try session.lookupKeys() }
            let count = benchmark.scaledIterations.count
            let ((sum, next), _, cpu) = measured(benchmark) { M.lookupVersion(lookup, mapping, keys, from: cursor, count: count) }
            cursor = next
            blackHole(sum)
            benchmark.measurement(lookupMetrics[2], cpu / max(1, count))
        }

        Benchmark("\(label): scan of \(M.scanNumberField) + version's length, every record", configuration: scanConfiguration(tags)) { benchmark in
            let state = must("state") { try session.firstState(mapping).state }
            let fields = must("handles") { try ScanFields(state, type: M.recordType, number: M.scanNumberField) }
            let (sum, wall, cpu) = measured(benchmark) { M.scan(fields, mapping) }
            blackHole(sum)
            recordScan(benchmark, records: fields.records.recordCount, wall: wall, cpu: cpu)
        }

        // MARK: Delta

        let deltaMetrics: [BenchmarkMetric] = timeMetrics + [
            .custom("delta uncompressed bytes", useScalingFactor: false),
            .custom("delta compressed bytes", useScalingFactor: false),
        ]
        Benchmark("\(label): delta apply, 1% change",
                  configuration: .init(metrics: deltaMetrics, tags: tags, units: exact(deltaMetrics), warmupIterations: 2,
                                       maxDuration: .seconds(15), maxIterations: 50)) { benchmark in
            let state = must("state") { try session.firstState(mapping).state }
            let delta = must("blobs") { try session.blobs(mapping).delta }
            let (next, _, cpu) = measured(benchmark) { must("delta") { try state.applying(delta: delta) } }
            blackHole(next)
            benchmark.measurement(deltaMetrics[2], cpu / 1_000)
            benchmark.measurement(deltaMetrics[3], lz4ContentSize(delta) ?? 0)
            benchmark.measurement(deltaMetrics[4], delta.count)
        }

        // MARK: Producer

        // One cycle of the 1% change per iteration (the second cycle's rows, then the first's, ...:
        // each a delta from the state before), from rows already parsed: populate, write the
        // snapshot, delta and reverse delta, commit. "peak RSS growth" is the cycle's transient memory:
        // Linux's VmHWM during the measured region, reset before it and after free heap memory was
        // returned to the system, minus the resident set then (the rows and the write state
        // of the last cycle, which a producer keeps). `.peakMemoryResident` is the whole process's.
        let producerMetrics: [BenchmarkMetric] = timeMetrics + [
            .custom("peak RSS growth bytes", useScalingFactor: false),
            .peakMemoryResident,
        ]
        let producer = ProducerState<M>(session: session, mapping: mapping)
        Benchmark("\(label): producer cycle, 1% change, populate + write blobs",
                  configuration: .init(metrics: producerMetrics, tags: tags, units: exact(producerMetrics), warmupIterations: 1,
                                       maxDuration: .seconds(60), maxIterations: 10)) { benchmark in
            let (state, rows) = must("producer") { try producer.next() }
            let before = MemorySample.now().residentBytes
            PeakMemory.reset()
            let (blobs, _, cpu) = measured(benchmark) { must("cycle") { try RealData.cycle(M.self, state, rows, mapping: mapping) } }
            let peak = PeakMemory.peakResidentBytes() ?? before
            blackHole(blobs)
            benchmark.measurement(producerMetrics[2], cpu / 1_000)
            benchmark.measurement(producerMetrics[3], peak - before)
        }
    }

    // MARK: The Dictionary baseline, and the parse of the source

    let label = "\(title) Dictionary"
    let baselineTags = tags.merging(["mapping": "dictionary"]) { $1 }
    let dictionaryMemoryMetrics: [BenchmarkMetric] = [
        .custom("records", useScalingFactor: false),
        .custom("heap bytes", useScalingFactor: false),
        .custom("RSS bytes", useScalingFactor: false),
        .custom("heap bytes per record", useScalingFactor: false),
        .custom("RSS bytes per record", useScalingFactor: false),
    ]
    // The growth while the rows are parsed from the text (in memory before the first sample) into
    // the Dictionary and the parser's own arrays are dropped.
    Benchmark("\(label): memory", configuration: .init(metrics: dictionaryMemoryMetrics, tags: baselineTags, units: exact(dictionaryMemoryMetrics), warmupIterations: 0,
                                                       maxDuration: .seconds(600), maxIterations: 1)) { benchmark in
        let text = must("source") { try session.sourceText() }
        let before = MemorySample.now()
        let dictionary = RealData.dictionary(must("parse") { try RealData.rows(M.self, from: text, file: session.source.path).rows })
        let growth = MemorySample.now().since(before)
        withExtendedLifetime(text) {}
        let records = dictionary.count
        withExtendedLifetime(dictionary) {}
        let values = [records, growth.heapBytes, growth.residentBytes, growth.heapBytes / max(1, records), growth.residentBytes / max(1, records)]
        for (metric, value) in zip(dictionaryMemoryMetrics, values) { benchmark.measurement(metric, value) }
    }

    let baseline = BaselineState<M>(session: session)
    Benchmark("\(label): lookup by name + version's bytes", configuration: lookupConfiguration(baselineTags)) { benchmark in
        let (dictionary, keys) = must("baseline") { try baseline.prepared() }
        let count = benchmark.scaledIterations.count
        let ((sum, next), _, cpu) = measured(benchmark) { M.lookupVersion(dictionary, keys, from: cursor, count: count) }
        cursor = next
        blackHole(sum)
        benchmark.measurement(lookupMetrics[2], cpu / max(1, count))
    }

    Benchmark("\(label): scan of \(M.scanNumberField) + version's length, every record", configuration: scanConfiguration(baselineTags)) { benchmark in
        let (dictionary, _) = must("baseline") { try baseline.prepared() }
        let (sum, wall, cpu) = measured(benchmark) { M.scanTwoFields(dictionary) }
        blackHole(sum)
        recordScan(benchmark, records: dictionary.count, wall: wall, cpu: cpu)
    }

    let parseMetrics: [BenchmarkMetric] = timeMetrics + [
        .custom("text bytes", useScalingFactor: false),
        .custom("text MB/s (CPU)", polarity: .prefersLarger, useScalingFactor: false),
    ]
    Benchmark("\(title): parse the source file into rows",
              configuration: .init(metrics: parseMetrics, tags: tags.merging(["mapping": "none"]) { $1 }, units: exact(parseMetrics), warmupIterations: 1,
                                   maxDuration: .seconds(20), maxIterations: 20)) { benchmark in
        let text = must("source") { try session.sourceText() }
        let (rows, _, cpu) = measured(benchmark) { must("parse") { try RealData.rows(M.self, from: text, file: session.source.path) } }
        blackHole(rows)
        benchmark.measurement(parseMetrics[2], cpu / 1_000)
        benchmark.measurement(parseMetrics[3], text.count)
        benchmark.measurement(parseMetrics[4], text.count * 1_000 / max(1, cpu))
    }
}

/// The producer benchmark's write state, with the first cycle committed before the first
/// iteration, and which rows the next cycle adds.
final class ProducerState<M: RealDataModel>: @unchecked Sendable {
    let session: RealDataSession<M>
    let mapping: Mapping
    private var state: WriteState?
    private var cycles = 0

    init(session: RealDataSession<M>, mapping: Mapping) {
        self.session = session
        self.mapping = mapping
    }

    func next() throws -> (WriteState, [M.Row]) {
        let rows = try session.rows()
        if state == nil {
            let made = WriteState(schema: try M.schema(mapping))
            _ = try RealData.cycle(M.self, made, rows.first, mapping: mapping)
            state = made
        }
        cycles += 1
        return (state!, cycles % 2 == 1 ? rows.second : rows.first)
    }
}

/// The Dictionary and its lookup keys (the same order as the read state's: sorted, then shuffled
/// with the same seed).
final class BaselineState<M: RealDataModel>: @unchecked Sendable {
    let session: RealDataSession<M>
    private var made: ([String: M.Row], [String])?

    init(session: RealDataSession<M>) { self.session = session }

    func prepared() throws -> ([String: M.Row], [String]) {
        if let made { return made }
        let dictionary = try session.baseline()
        session.dropSource()
        let result = (dictionary, RealData.requestKeys(Array(dictionary.keys)))
        made = result
        return result
    }
}

let benchmarks: @Sendable () -> Void = {
    register(DebianModel.self)
    register(PyPIModel.self)
}
