// The producer and consumer end to end on the embedded default (a blob store directory and a JSON
// lines announcement log, with real fsyncs), on the generated catalog: a producer cycle with a 1%
// change, a consumer's delta refresh, and the time from an announcement to a watching consumer
// serving it, and requests on every core at once. The baseline is what a user would do without
// Hollow: write the Dictionary of structs as a JSON file, read it back whole, and publish it to
// request threads behind an atomic reference. Run from Benchmarks/:
//
//     swift package benchmark --no-progress --target HollowPipelineBenchmarks
import Atomics
import Benchmark
import CatalogFixture
import Foundation
import Hollow
import HollowCore
import Logging
import Synchronization

let quiet = Logger(label: "benchmark", factory: { _ in SwiftLogNoOpLogHandler() })
let clock = ContinuousClock()

func milliseconds(_ duration: Duration) -> Int {
    Int(duration.components.seconds) * 1_000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
}

/// Two catalogs a 1% change apart; cycles alternate between them.
enum Catalogs {
    static let first = Catalog(.fromEnvironment)
    static let second = first.nextCycle().0
}

/// A directory with a store and a log, and a producer that announced three versions: the first
/// catalog, the second, the first again (so that versions 1 -> 2 is a delta and 2 -> 1 its reverse).
final class Pipeline: Sendable {
    let directory: String
    let store: FileSystemBlobStore
    let log: FileSystemAnnouncementLog
    let producer: Producer
    let schema: Schema

    init() async throws {
        directory = NSTemporaryDirectory() + "swift-hollow-pipeline-\(UUID().uuidString)"
        store = try FileSystemBlobStore(directory: directory + "/blobs")
        log = try FileSystemAnnouncementLog(file: directory + "/announcements.jsonl")
        schema = try HollowCatalog.schema()
        producer = Producer(schema: schema, blobStore: store, announcementLog: log,
                            configuration: .init(producerID: "benchmark", snapshotEvery: 1, snapshotsToKeep: nil), logger: quiet)
        for catalog in [Catalogs.first, Catalogs.second, Catalogs.first] { _ = try await cycle(catalog) }
    }

    func cycle(_ catalog: Catalog) async throws -> CycleOutcome {
        try await producer.runCycle { state in try HollowCatalog.populate(state, with: catalog) }
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// The baseline's file: the Dictionary's values as JSON.
enum JSONBaseline {
    static func write(_ catalog: Catalog, to path: String) throws -> Int {
        let movies = DictionaryBaseline.build(catalog)
        let data = try JSONEncoder().encode(Array(movies.values))
        let handle = FileHandle(forWritingAtPath: path) ?? { FileManager.default.createFile(atPath: path, contents: nil); return FileHandle(forWritingAtPath: path)! }()
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
        return data.count
    }

    static func read(_ path: String) throws -> [Int64: MovieStruct] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let movies = try JSONDecoder().decode([MovieStruct].self, from: data)
        return Dictionary(uniqueKeysWithValues: movies.map { ($0.id, $0) })
    }
}

/// What each request of the many-thread benchmarks reads, resolved once per version by a view.
final class TitleHandles: Sendable {
    let index: PrimaryKeyIndex
    let movies: ObjectTypeReadState
    let title: FieldHandle
    init(_ state: ConsumerState) throws {
        guard let index = state.primaryKeyIndex("Movie"), let movies = state.readState.objectType("Movie"),
              let title = movies.field("title") else { throw FixtureError("no Movie index or title") }
        self.index = index
        self.movies = movies
        self.title = title
    }

    /// The length plus the first byte of movie `id`'s title (nil: no such movie).
    func titleBytes(of id: Int64) -> Int? {
        index.ordinal(id).flatMap { movies.withBytes($0, title) { $0.count &+ Int($0.first ?? 0) } }
    }
}

/// The baseline's Dictionary as a service publishes one it replaces: behind an atomic reference.
final class PublishedMovies: AtomicReference, Sendable {
    let movies: [Int64: MovieStruct]
    init(_ movies: [Int64: MovieStruct]) { self.movies = movies }
}

/// A consumer serving version 1 of the catalog on files with a view of its titles, and the
/// baseline's Dictionary: made by a benchmark's setup and dropped by its teardown.
final class RequestRig: @unchecked Sendable {  // written only by setup and teardown, between runs
    var pipeline: Pipeline?
    var consumer: Consumer?
    var titles: ConsumerView<TitleHandles>?
    var dictionary: ManagedAtomic<PublishedMovies>?

    func setUp() async throws {
        let pipeline = try await Pipeline()
        let consumer = Consumer(blobStore: pipeline.store, announcementLog: pipeline.log,
                                configuration: .init(indexes: [.primaryKey("Movie")]), logger: quiet)
        titles = try consumer.view { try TitleHandles($0) }
        try await consumer.refresh(to: 1)
        self.pipeline = pipeline
        self.consumer = consumer
    }

    func tearDown() {
        pipeline?.remove()
        pipeline = nil
        consumer = nil
        titles = nil
    }
}

/// Requests on every core at once: each thread looks up movies by id from its own share of all of
/// them, in a shuffled order, the next 10,000 each iteration (so that an iteration does not find
/// the last one's records in cache).
enum Requests {
    static let threads = ProcessInfo.processInfo.activeProcessorCount
    static let perThread = 10_000
    static let shares: [[Int64]] = {
        var generator = SplitMix64(seed: 42)
        let all = Catalogs.first.movies.map(\.id).shuffled(using: &generator)
        let share = all.count / threads
        return (0..<threads).map { thread in Array(all[(thread * share)..<((thread + 1) * share)]) }
    }()
    nonisolated(unsafe) static var iteration = 0  // advanced by the benchmark's own thread only

    /// The ids of `thread` for this iteration.
    static func ids(_ thread: Int, iteration: Int) -> ArraySlice<Int64> {
        let share = shares[thread]
        let start = (iteration * perThread) % (share.count - perThread + 1)
        return share[start..<(start + perThread)]
    }

    /// Runs one iteration's requests, `request` per id, on every thread, and records them.
    static func run(_ benchmark: Benchmark, _ request: @escaping @Sendable (Int64) -> Int) {
        let iteration = Requests.iteration
        Requests.iteration += 1
        record(benchmark, concurrentRun(threads: threads) { thread in
            var sum = 0
            for id in ids(thread, iteration: iteration) { sum &+= request(id) }
            blackHole(sum)
        })
    }
    static let metrics: [BenchmarkMetric] = [
        .wallClock,
        .custom("ns a lookup, per thread", useScalingFactor: false),
        .custom("lookups a ms, all threads", polarity: .prefersLarger, useScalingFactor: false),
    ]

    static func record(_ benchmark: Benchmark, _ times: ConcurrentTimes) {
        let perLookup = times.perThread.reduce(0, +) / Double(times.perThread.count) / Double(perThread)
        benchmark.measurement(metrics[1], Int(perLookup.rounded()))
        // Over the makespan (first start to last end), so that threads that did not overlap count as such.
        benchmark.measurement(metrics[2], Int((Double(times.perThread.count * perThread) * 1e6 / times.makespan).rounded()))
    }
}

let benchmarks: @Sendable () -> Void = {
    let tags = ["movies": String(CatalogParameters.fromEnvironment.movieCount)]
    let slow = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal], tags: tags, warmupIterations: 1,
                                       maxDuration: .seconds(60), maxIterations: 10)

    Benchmark("Producer: cycle with a 1% change (populate, snapshot + delta + reverse delta, LZ4, SHA-256, store, announce)",
              configuration: slow) { benchmark async in
        let pipeline = try! await Pipeline()
        defer { pipeline.remove() }
        for iteration in benchmark.scaledIterations {
            let catalog = iteration % 2 == 0 ? Catalogs.second : Catalogs.first
            benchmark.startMeasurement()
            let outcome = try! await pipeline.cycle(catalog)
            benchmark.stopMeasurement()
            precondition(outcome.version != nil)
        }
    }

    Benchmark("Baseline: Dictionary of structs built and written as a JSON file", configuration: slow) { benchmark in
        let path = NSTemporaryDirectory() + "swift-hollow-baseline-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = Catalogs.second
        for iteration in benchmark.scaledIterations {
            benchmark.startMeasurement()
            blackHole(try! JSONBaseline.write(iteration % 2 == 0 ? Catalogs.second : Catalogs.first, to: path))
            benchmark.stopMeasurement()
        }
    }

    let refreshMetrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal,
                                              .custom("bytes fetched", useScalingFactor: false)]
    Benchmark("Consumer: delta refresh 1 -> 2 end to end (log, fetch, SHA-256, LZ4, apply, primary-key index)",
              configuration: .init(metrics: refreshMetrics, tags: tags, warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 30)) { benchmark async in
        let pipeline = try! await Pipeline()
        defer { pipeline.remove() }
        let consumer = Consumer(blobStore: pipeline.store, announcementLog: pipeline.log,
                                configuration: .init(indexes: [.primaryKey("Movie")]), logger: quiet)
        try! await consumer.refresh(to: 1)
        for _ in benchmark.scaledIterations {
            benchmark.startMeasurement()
            let report = try! await consumer.refresh(to: 2)
            benchmark.stopMeasurement()
            precondition(report.path == "1 delta")
            benchmark.measurement(refreshMetrics[3], report.bytesFetched)
            try! await consumer.refresh(to: 1)  // back by the reverse delta, not measured
        }
    }

    Benchmark("Baseline: JSON file read back into a Dictionary of structs", configuration: slow) { benchmark in
        let path = NSTemporaryDirectory() + "swift-hollow-baseline-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try! JSONBaseline.write(Catalogs.second, to: path)
        for _ in benchmark.scaledIterations {
            benchmark.startMeasurement()
            blackHole(try! JSONBaseline.read(path))
            benchmark.stopMeasurement()
        }
    }

    let requestConfiguration = Benchmark.Configuration(
        metrics: Requests.metrics, tags: tags.merging(["threads": String(Requests.threads)]) { $1 },
        warmupIterations: 3, maxDuration: .seconds(10), maxIterations: 200)
    // Made once per benchmark (setup and teardown), so that every iteration is requests only.
    let rig = RequestRig()
    Benchmark("Consumer: lookup + title's bytes on every core at once, through a ConsumerView (handles per version)",
              configuration: requestConfiguration, closure: { benchmark in
        let titles = rig.titles!
        for _ in benchmark.scaledIterations {
            // Optional chaining reaches the handles without a copy; `guard let` binds a copy, which
            // Swift 6.3 counts (one retain a request on the shared handles).
            Requests.run(benchmark) { id in titles.withCurrent { $0?.titleBytes(of: id) } ?? 0 }
        }
    }, setup: { try await rig.setUp() }, teardown: { rig.tearDown() })

    Benchmark("Consumer: lookup + title's bytes on every core at once, through consumer.current (the README's code)",
              configuration: requestConfiguration, closure: { benchmark in
        let consumer = rig.consumer!
        for _ in benchmark.scaledIterations {
            Requests.run(benchmark) { id in
                guard let current = consumer.current, let ordinal = current.primaryKeyIndex("Movie")?.ordinal(id) else { return 0 }
                let movies = current.readState.objectType("Movie")!
                return movies.withBytes(ordinal, movies.field("title")!) { $0.count &+ Int($0.first ?? 0) } ?? 0
            }
        }
    }, setup: { try await rig.setUp() }, teardown: { rig.tearDown() })

    // What a request writes to shared words: the references it counts (retains), on one thread.
    let countingMetrics: [BenchmarkMetric] = [.retainCount, .releaseCount, .mallocCountTotal]
    let counting = Benchmark.Configuration(metrics: countingMetrics, tags: tags, warmupIterations: 10, scalingFactor: .kilo,
                                           maxDuration: .seconds(5), maxIterations: 100)
    Benchmark("Consumer: references counted by a lookup + title's bytes through a ConsumerView", configuration: counting,
              closure: { benchmark in
        let titles = rig.titles!
        var sum = 0
        for id in Requests.ids(0, iteration: 0).prefix(benchmark.scaledIterations.count) {
            sum &+= titles.withCurrent { $0?.titleBytes(of: id) } ?? 0
        }
        blackHole(sum)
    }, setup: { try await rig.setUp() }, teardown: { rig.tearDown() })

    Benchmark("Consumer: references counted by a lookup + title's bytes through consumer.current (the README's code)",
              configuration: counting, closure: { benchmark in
        let consumer = rig.consumer!
        var sum = 0
        for id in Requests.ids(0, iteration: 0).prefix(benchmark.scaledIterations.count) {
            guard let current = consumer.current, let ordinal = current.primaryKeyIndex("Movie")?.ordinal(id) else { continue }
            let movies = current.readState.objectType("Movie")!
            sum &+= movies.withBytes(ordinal, movies.field("title")!) { $0.count &+ Int($0.first ?? 0) } ?? 0
        }
        blackHole(sum)
    }, setup: { try await rig.setUp() }, teardown: { rig.tearDown() })

    Benchmark("Baseline: Dictionary of structs behind a ManagedAtomic, lookup + title's bytes on every core at once",
              configuration: requestConfiguration, closure: { benchmark in
        let published = rig.dictionary!
        for _ in benchmark.scaledIterations {
            Requests.run(benchmark) { id in
                guard let movie = published.load(ordering: .acquiring).movies[id] else { return 0 }
                return movie.title.utf8.withContiguousStorageIfAvailable { $0.count &+ Int($0.first ?? 0) } ?? 0
            }
        }
    }, setup: { rig.dictionary = ManagedAtomic(PublishedMovies(DictionaryBaseline.build(Catalogs.first))) },
       teardown: { rig.dictionary = nil })

    let latencyMetrics: [BenchmarkMetric] = [.custom("announcement to serving, ms", polarity: .prefersSmaller, useScalingFactor: false)]
    Benchmark("Consumer: announcement to a watching consumer serving it (file log polled every 100 ms)",
              configuration: .init(metrics: latencyMetrics, tags: tags, warmupIterations: 0, maxDuration: .seconds(120), maxIterations: 8)) { benchmark async in
        let pipeline = try! await Pipeline()
        defer { pipeline.remove() }
        let consumer = Consumer(blobStore: pipeline.store, announcementLog: pipeline.log,
                                configuration: .init(indexes: [.primaryKey("Movie")]), logger: quiet)
        let served = Mutex<[UInt64: Date]>([:])
        consumer.addRefreshListener { event in
            if case .refreshed(let report) = event { served.withLock { $0[report.toVersion] = Date() } }
        }
        let watching = Task { await consumer.watch() }
        defer { watching.cancel() }
        while consumer.currentVersion != 3 { try! await Task.sleep(for: .milliseconds(10)) }
        for iteration in benchmark.scaledIterations {
            let outcome = try! await pipeline.cycle(iteration % 2 == 0 ? Catalogs.second : Catalogs.first)
            guard case .announced(let announcement, _) = outcome else { fatalError("nothing announced") }
            var at: Date?
            while at == nil {
                try! await Task.sleep(for: .milliseconds(5))
                at = served.withLock { $0[announcement.version] }
            }
            let latency = Int(at!.timeIntervalSince1970 * 1000) - Int(announcement.timestampMilliseconds)
            benchmark.measurement(latencyMetrics[0], latency)
        }
    }
}
