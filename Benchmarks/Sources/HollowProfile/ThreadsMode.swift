// `HollowProfile realdata-threads DATASET [lookups-per-thread] [rounds]`: the per-request path of a
// service, on one thread and on every core at once, beside a `Dictionary` of structs published
// through an atomic reference (docs/PERFORMANCE.md, "A fair Dictionary key, and requests from many
// threads").
//
// A real producer writes the dataset (plain strings) to a `FileSystemBlobStore` in a temporary
// directory, and a real `Consumer` with the record type's primary-key index loads it. Each request
// looks up one key and reads the version's bytes, in six ways:
//
// - `consumer.current, as the README`: `consumer.current`, `primaryKeyIndex(type)`, `objectType(type)`
//   and `field("version")` each request, then the lookup and the read;
// - `consumer.view, handles per version`: the index and the field handle resolved once per version
//   by a `ConsumerView`, borrowed each request;
// - `handles per state in a ManagedAtomic`: the same handles, published by the service itself in a
//   swift-atomics `ManagedAtomic` (a strong reference loaded each request);
// - `read state alone`: the index and handles of one state, nothing loaded per request (the floor);
// - `Dictionary, published`: a `[String: Row]` in a final class behind a `ManagedAtomic`, loaded
//   each request, as a service would swap a dictionary it rebuilds; `Dictionary alone`: no swap.
//
// Every thread looks up its own slice of the keys (made from the read state's names, so that no key
// shares a dictionary key's storage). Each thread's wall time gives its time a lookup; lookups a
// microsecond are over all threads, from the first one's start to the last one's end.
import Atomics
import CatalogFixture
import Foundation
import Hollow
import HollowCore
import RealDataFixture

/// A dictionary as a service would publish it: replaced whole, read through an atomic reference.
final class PublishedRows<Row: Sendable>: AtomicReference, Sendable {
    let rows: [String: Row]
    init(_ rows: [String: Row]) { self.rows = rows }
}

/// What a service would keep per state: the index and the handles it reads with (which keep the
/// read state alive), each read in place by a request (not copied out as a struct).
final class ResolvedState: AtomicReference, Sendable {
    let index: PrimaryKeyIndex
    let records: ObjectTypeReadState
    let version: FieldHandle
    init(_ state: ConsumerState, type: String) throws {
        guard let index = state.primaryKeyIndex(type) else { throw FixtureError("no index of \(type)") }
        let lookup = try VersionLookup(state.readState, index: index, type: type)
        self.index = index
        records = lookup.records
        version = lookup.version
    }

    /// The length plus the first byte of `key`'s version (nil: no such key). Reached by optional
    /// chaining from a view's body: `guard let` would bind a copy, one retain a request.
    func versionBytes(of key: String) -> Int? {
        index.ordinal(key).flatMap { records.withBytes($0, version) { $0.count &+ Int($0.first ?? 0) } }
    }
}

func runThreads(_ arguments: [String]) async throws {
    let datasets = realDatasets(arguments.first)
    let perThread = arguments.dropFirst().first.flatMap { Int($0) } ?? 200_000
    let rounds = arguments.dropFirst(2).first.flatMap { Int($0) } ?? 5
    for dataset in datasets {
        switch dataset {
        case .debian: try await threads(DebianModel.self, perThread: perThread, rounds: rounds)
        case .pypi: try await threads(PyPIModel.self, perThread: perThread, rounds: rounds)
        }
    }
}

func threads<M: RealDataModel>(_ model: M.Type, perThread: Int, rounds: Int) async throws {
    guard let session = openSession(M.self) else { exit(3) }
    let rows = try session.rows().first
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hollow-threads-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try FileSystemBlobStore(directory: directory + "/blobs")
    let log = try FileSystemAnnouncementLog(file: directory + "/announcements.jsonl")
    let producer = Producer(schema: try M.schema(.plain), blobStore: store, announcementLog: log)
    _ = try await producer.runCycle { state in try M.populate(state, with: rows, mapping: .plain) }
    let consumer = Consumer(blobStore: store, announcementLog: log, configuration: .init(indexes: [.primaryKey(M.recordType)]))
    _ = try await consumer.refresh()
    guard let served = consumer.current else { throw FixtureError("the consumer serves nothing") }
    let type = M.recordType
    let resolved = ManagedAtomic(try ResolvedState(served, type: type))
    let bare = try VersionLookup(served.readState, index: served.primaryKeyIndex(type)!, type: type)
    let view = try consumer.view { try ResolvedState($0, type: type) }
    let dictionary = RealData.dictionary(rows)
    let published = ManagedAtomic(PublishedRows(dictionary))
    let keys = try session.lookupKeys()
    let cores = ProcessInfo.processInfo.activeProcessorCount

    let ways: [(String, @Sendable (ArraySlice<String>) -> Int)] = [
        ("consumer.current, as the README", { keys in
            var sum = 0
            for key in keys {
                if let current = consumer.current, let ordinal = current.primaryKeyIndex(type)?.ordinal(key) {
                    let records = current.readState.objectType(type)!
                    sum &+= records.withBytes(ordinal, records.field("version")!) { $0.count &+ Int($0.first ?? 0) } ?? 0
                }
            }
            return sum
        }),
        ("consumer.view, handles per version", { keys in
            var sum = 0
            for key in keys {
                sum &+= view.withCurrent { $0?.versionBytes(of: key) } ?? 0
            }
            return sum
        }),
        ("handles per state in a ManagedAtomic", { keys in
            var sum = 0
            for key in keys {
                let handles = resolved.load(ordering: .acquiring)
                if let ordinal = handles.index.ordinal(key) {
                    sum &+= handles.records.withBytes(ordinal, handles.version) { $0.count &+ Int($0.first ?? 0) } ?? 0
                }
            }
            return sum
        }),
        ("read state alone", { keys in
            var sum = 0
            for key in keys {
                if let ordinal = bare.index.ordinal(key) {
                    sum &+= bare.records.withBytes(ordinal, bare.version) { $0.count &+ Int($0.first ?? 0) } ?? 0
                }
            }
            return sum
        }),
        ("Dictionary, published", { keys in
            var sum = 0
            for key in keys {
                if let row = published.load(ordering: .acquiring).rows[key] {
                    sum &+= row.version.utf8.withContiguousStorageIfAvailable { $0.count &+ Int($0.first ?? 0) } ?? 0
                }
            }
            return sum
        }),
        ("Dictionary alone", { keys in
            var sum = 0
            for key in keys {
                if let row = dictionary[key] {
                    sum &+= row.version.utf8.withContiguousStorageIfAvailable { $0.count &+ Int($0.first ?? 0) } ?? 0
                }
            }
            return sum
        }),
    ]

    print("\(M.dataset): \(keys.count) keys; \(perThread) lookups a thread; median of \(rounds) rounds, ways in turn; wall ns a lookup (per thread) and lookups a microsecond (all threads)")
    print("\n| way | 1 thread | \(cores) threads | \(cores) threads' throughput / 1 thread's |")
    print("| --- | --- | --- | --- |")
    var results: [[Int: [(perLookup: Double, perMicrosecond: Double)]]] = Array(repeating: [:], count: ways.count)
    for _ in 0..<max(1, rounds) {
        for (position, way) in ways.enumerated() {
            for threadCount in [1, cores] {
                results[position][threadCount, default: []].append(timedThreads(threadCount, keys: keys, perThread: perThread, way.1))
            }
        }
    }
    for (position, way) in ways.enumerated() {
        func median(_ threads: Int, _ value: ((perLookup: Double, perMicrosecond: Double)) -> Double) -> Double {
            let sorted = results[position][threads]!.map(value).sorted()
            return sorted[sorted.count / 2]
        }
        let one = median(1, \.perLookup), all = median(cores, \.perLookup)
        let oneRate = median(1, \.perMicrosecond), allRate = median(cores, \.perMicrosecond)
        print("| \(way.0) | \(format(one)) ns, \(format(oneRate)) /µs | \(format(all)) ns, \(format(allRate)) /µs | \(format(allRate / oneRate))x |")
    }
    print()
    keep(resolved)
    keep(published)
}

/// Runs `body` on `threadCount` threads at once, each over its own `perThread` keys (wrapping around
/// `keys`): the mean wall time a lookup of one thread, in nanoseconds, and the lookups a
/// microsecond of all threads (over the makespan, first start to last end).
func timedThreads(_ threadCount: Int, keys: [String], perThread: Int, _ body: @escaping @Sendable (ArraySlice<String>) -> Int) -> (perLookup: Double, perMicrosecond: Double) {
    let slices: [[String]] = (0..<threadCount).map { thread in
        (0..<perThread).map { keys[(thread * perThread + $0) % keys.count] }
    }
    let times = concurrentRun(threads: threadCount) { thread in keep(body(slices[thread][...])) }
    return (perLookup: times.perThread.reduce(0, +) / Double(threadCount) / Double(perThread),
            perMicrosecond: Double(threadCount * perThread) * 1e3 / times.makespan)
}
