import CatalogFixture
import Foundation
import Hollow
import HollowCore

/// `produce`: one `Producer` on a file store and log, running a cycle every `--every` ms (or back
/// to back) over the soak dataset, with the cleaner's default settings unless told otherwise.
struct ProduceMode {
    let storeDirectory: String
    let cycles: Int
    let dataset: SoakDataset
    let changePercent: Double
    let every: Duration
    let snapshotEvery: Int
    let snapshotsToKeep: Int

    init(_ arguments: SoakArguments) throws {
        storeDirectory = try arguments.string("store")
        cycles = try arguments.integer("cycles")
        changePercent = try arguments.double("change-percent", default: 1)
        let records = try arguments.integer("records", default: 3_000)
        let seed = try arguments.unsigned("seed", default: SoakDataset.defaultSeed)
        dataset = SoakDataset(records: records, changePercent: changePercent, seed: seed)
        every = .milliseconds(try arguments.integer("every", default: 0))
        let defaults = Producer.Configuration()
        snapshotEvery = try arguments.integer("snapshot-every", default: defaults.snapshotEvery)
        snapshotsToKeep = try arguments.integer("snapshots-to-keep", default: defaults.snapshotsToKeep ?? 5)
        guard cycles >= 1, records >= 10, snapshotEvery >= 1, snapshotsToKeep >= 1 else {
            throw SoakError("--cycles, --snapshot-every and --snapshots-to-keep must be at least 1, --records at least 10")
        }
    }

    struct Summary: Encodable {
        var mode = "produce"
        var cycles = 0
        var announced = 0
        var unchanged = 0
        var failedCycles = 0
        var firstFailure: String?
        var lastVersion: UInt64?
        var seconds = 0.0
        var cycleMilliseconds: Percentiles?
        var records = 0
        var people = 0
        var seed = ""
        var changePercent = 0.0
        var snapshotEvery = 0
        var snapshotsToKeep = 0
        var everyMilliseconds = 0.0
        var blobsAtEnd = 0
        var heapBytesAfterWarmUp = 0
        var heapBytesAtEnd = 0
    }

    func run() async throws -> Summary {
        let logPath = storeDirectory + "/announcements.jsonl"
        try FileManager.default.createDirectory(atPath: storeDirectory, withIntermediateDirectories: true)
        // Cycle k must be version k for the consumer's check of the content: start on an empty store.
        guard !FileManager.default.fileExists(atPath: logPath) else {
            throw SoakError("\(logPath) exists: the soak starts on an empty store directory")
        }
        let store = try FileSystemBlobStore(directory: storeDirectory + "/blobs")
        let log = try FileSystemAnnouncementLog(file: logPath)
        let schema = try HollowCatalog.schema()
        let producer = Producer(schema: schema, blobStore: store, announcementLog: log,
                                configuration: .init(producerID: "soak", snapshotEvery: snapshotEvery, snapshotsToKeep: snapshotsToKeep))
        var summary = Summary(records: dataset.parameters.movieCount, people: dataset.parameters.personCount,
                              seed: "0x" + String(dataset.parameters.seed, radix: 16), changePercent: changePercent,
                              snapshotEvery: snapshotEvery, snapshotsToKeep: snapshotsToKeep,
                              everyMilliseconds: every.milliseconds)
        let clock = ContinuousClock()
        let started = clock.now
        let progressEvery = max(1, cycles / 20)
        var durations: [Double] = []
        durations.reserveCapacity(cycles)
        var catalog = dataset.first()
        for cycle in 1...cycles {
            if cycle > 1 {
                catalog = dataset.next(after: catalog, cycle: cycle)
                // A fixed schedule, so that a slow cycle does not shift the ones after it.
                let due = started + every * (cycle - 1)
                if due > clock.now { try await Task.sleep(until: due, clock: clock) }
            }
            let cycleStarted = clock.now
            let current = catalog
            do {
                let outcome = try await producer.runCycle { state in try HollowCatalog.populate(state, with: current) }
                switch outcome {
                case .announced(let announcement, _):
                    summary.announced += 1
                    summary.lastVersion = announcement.version
                case .unchanged:
                    summary.unchanged += 1
                }
            } catch {
                // The library logs the failure; the soak counts it and goes on, as a scheduler would.
                summary.failedCycles += 1
                if summary.firstFailure == nil { summary.firstFailure = "cycle \(cycle): \(error)" }
            }
            durations.append((clock.now - cycleStarted).milliseconds)
            summary.cycles = cycle
            if cycle == max(1, cycles / 10) { summary.heapBytesAfterWarmUp = SoakOutput.heapInUse() }
            if cycle % progressEvery == 0 || cycle == cycles {
                SoakOutput.error("produce: cycle \(cycle)/\(cycles), version \(summary.lastVersion.map(String.init) ?? "none"), "
                    + "\(Int((clock.now - started).milliseconds / 1000)) s, last cycle \(Int(durations.last!)) ms, "
                    + "heap \(SoakOutput.heapInUse() / 1024) KiB, failed \(summary.failedCycles)")
            }
        }
        summary.seconds = ((clock.now - started).milliseconds / 10).rounded() / 100
        summary.cycleMilliseconds = Percentiles(durations)
        summary.blobsAtEnd = (try? await store.list().count) ?? -1
        summary.heapBytesAtEnd = SoakOutput.heapInUse()
        return summary
    }
}
