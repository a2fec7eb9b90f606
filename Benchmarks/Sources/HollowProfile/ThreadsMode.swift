// `HollowProfile realdata-threads DATASET [lookups-per-thread] [rounds]`: the per-request path of a
// service, on one thread and on every core at once, beside a `Dictionary` of structs published the
// same way (docs/PERFORMANCE.md, "Lookups from many threads").
//
// A real producer writes the dataset (plain strings) to a `FileSystemBlobStore` in a temporary
// directory, and a real `Consumer` with the record type's primary-key index loads it. Each request
// looks up one key and reads the version's bytes, in four ways:
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
// shares a dictionary key's storage). Time is wall clock from a common start to each thread's end.
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
/// read state alive).
final class ResolvedState: AtomicReference, Sendable {
    let lookup: VersionLookup
    init(_ state: ConsumerState, type: String) throws {
        guard let index = state.primaryKeyIndex(type) else { throw FixtureError("no index of \(type)") }
        lookup = try VersionLookup(state.readState, index: index, type: type)
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
    let bare = resolved.load(ordering: .relaxed).lookup
    let view = consumer.view { try ResolvedState($0, type: type) }
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
                sum &+= view.withCurrent { handles in
                    guard let lookup = handles?.lookup, let ordinal = lookup.index.ordinal(key) else { return 0 }
                    return lookup.records.withBytes(ordinal, lookup.version) { $0.count &+ Int($0.first ?? 0) } ?? 0
                }
            }
            return sum
        }),
        ("handles per state in a ManagedAtomic", { keys in
            var sum = 0
            for key in keys {
                let lookup = resolved.load(ordering: .acquiring).lookup
                if let ordinal = lookup.index.ordinal(key) {
                    sum &+= lookup.records.withBytes(ordinal, lookup.version) { $0.count &+ Int($0.first ?? 0) } ?? 0
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
    var results: [[Int: [Double]]] = Array(repeating: [:], count: ways.count)
    for _ in 0..<max(1, rounds) {
        for (position, way) in ways.enumerated() {
            for threadCount in [1, cores] {
                results[position][threadCount, default: []].append(timedThreads(threadCount, keys: keys, perThread: perThread, way.1))
            }
        }
    }
    for (position, way) in ways.enumerated() {
        func median(_ threads: Int) -> Double { let sorted = results[position][threads]!.sorted(); return sorted[sorted.count / 2] }
        let one = median(1), all = median(cores)
        print("| \(way.0) | \(format(one)) ns, \(format(1e3 / one)) /µs | \(format(all)) ns, \(format(Double(cores) * 1e3 / all)) /µs | \(format(Double(cores) * one / all))x |")
    }
    print()
    keep(resolved)
    keep(published)
}

/// Runs `body` on `threadCount` threads at once, each over its own `perThread` keys (wrapping around
/// `keys`), and returns the mean wall time a lookup of one thread, in nanoseconds.
func timedThreads(_ threadCount: Int, keys: [String], perThread: Int, _ body: @escaping @Sendable (ArraySlice<String>) -> Int) -> Double {
    let slices: [[String]] = (0..<threadCount).map { thread in
        (0..<perThread).map { keys[(thread * perThread + $0) % keys.count] }
    }
    let elapsed = concurrentRun(threads: threadCount) { thread in keep(body(slices[thread][...])) }
    return elapsed.reduce(0, +) / Double(threadCount) / Double(perThread)
}
