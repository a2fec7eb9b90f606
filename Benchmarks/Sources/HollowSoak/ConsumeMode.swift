import CatalogFixture
import Foundation
import Hollow
import HollowCore

/// `consume`: one `Consumer` following the log with `watch()`, as a service runs it, with a
/// primary-key index on movies and people and a hash index on the year; after each refresh it
/// looks records up as a service would. It stops once it serves `--until-version`.
struct ConsumeMode {
    let storeDirectory: String
    let untilVersion: UInt64
    let lookupsPerRefresh: Int
    let pollInterval: Duration

    init(_ arguments: SoakArguments) throws {
        storeDirectory = try arguments.string("store")
        untilVersion = UInt64(try arguments.integer("until-version"))
        lookupsPerRefresh = try arguments.integer("lookups", default: 100)
        pollInterval = .milliseconds(try arguments.integer("poll-ms", default: 100))
        guard untilVersion >= 1 else { throw SoakError("--until-version must be at least 1") }
    }

    struct Summary: Encodable {
        var mode = "consume"
        /// Refreshes that changed the version, the first load included.
        var refreshes = 0
        /// By path: "snapshot" (any refresh that loaded a snapshot), "delta", "reverse delta".
        var byKind: [String: Int] = [:]
        var firstLoad = ""
        var snapshotLoadsAfterFirst = 0
        var deltasApplied = 0
        var mostDeltasInOneRefresh = 0
        var failures = 0
        var firstFailure: String?
        var lastVersion: UInt64?
        var seconds = 0.0
        var refreshMilliseconds: Percentiles?
        var lookups = 0
        var lookupMismatches = 0
        var readStateBytesAfterFirstLoad = 0
        var readStateBytesAtEnd = 0
        var heapBytesAfterWarmUp = 0
        var heapBytesAtEnd = 0

        var isClean: Bool { failures == 0 && snapshotLoadsAfterFirst == 0 && lookupMismatches == 0 }
    }

    func run() async throws -> Summary {
        let logPath = storeDirectory + "/announcements.jsonl"
        let store = try FileSystemBlobStore(directory: storeDirectory + "/blobs")
        let log = try FileSystemAnnouncementLog(file: logPath, pollInterval: pollInterval)
        // Started before the producer: wait for its first announcement, so that "nothing announced
        // yet" is not counted as a failed refresh.
        while (try? await log.history().latest) == nil { try await Task.sleep(for: .milliseconds(50)) }

        let consumer = Consumer(blobStore: store, announcementLog: log, configuration: .init(
            name: "soak",
            indexes: [.primaryKey("Movie"), .primaryKey("Person"), .hash("byYear", type: "Movie", fields: ["year"])],
            retryBackoff: RetryBackoff(initial: .milliseconds(100), maximum: .seconds(2))))
        let (events, eventSink) = AsyncStream.makeStream(of: RefreshEvent.self)
        // Listeners run on the refreshing task: hand the event over and do the work here.
        consumer.addRefreshListener { event in eventSink.yield(event) }
        let watching = Task { await consumer.watch() }

        var summary = Summary()
        var lookups = LookupWork(count: lookupsPerRefresh)
        var durations: [Double] = []
        let clock = ContinuousClock()
        let started = clock.now
        let warmUpVersion = max(1, untilVersion / 10)
        for await event in events {
            switch event {
            case .refreshed(let report):
                guard report.changedVersion else { continue }
                record(report, into: &summary)
                durations.append(report.duration.milliseconds)
                if let state = consumer.current {
                    let (done, mismatches) = lookups.run(on: state)
                    summary.lookups += done
                    summary.lookupMismatches += mismatches
                    if summary.refreshes == 1 { summary.readStateBytesAfterFirstLoad = state.readState.memory.totalBytes }
                }
                if summary.heapBytesAfterWarmUp == 0, report.toVersion >= warmUpVersion { summary.heapBytesAfterWarmUp = SoakOutput.heapInUse() }
                if summary.refreshes % 500 == 0 {
                    SoakOutput.error("consume: version \(report.toVersion), \(summary.refreshes) refreshes, "
                        + "heap \(SoakOutput.heapInUse() / 1024) KiB, failures \(summary.failures)")
                }
            case .failed(let error, _):
                summary.failures += 1
                if summary.firstFailure == nil { summary.firstFailure = "\(error)" }
            }
            if let version = consumer.currentVersion, version >= untilVersion { break }
        }
        watching.cancel()
        await watching.value
        eventSink.finish()

        summary.seconds = ((clock.now - started).milliseconds / 10).rounded() / 100
        summary.refreshMilliseconds = Percentiles(durations)
        summary.lastVersion = consumer.currentVersion
        summary.readStateBytesAtEnd = consumer.current?.readState.memory.totalBytes ?? 0
        summary.heapBytesAtEnd = SoakOutput.heapInUse()
        return summary
    }

    private func record(_ report: RefreshReport, into summary: inout Summary) {
        summary.refreshes += 1
        let loadedSnapshot = report.steps.contains { $0.kind == .snapshot }
        let kind = loadedSnapshot ? "snapshot" : (report.steps.first?.kind.rawValue ?? "nothing")
        summary.byKind[kind, default: 0] += 1
        if summary.refreshes == 1 {
            summary.firstLoad = report.path
        } else if loadedSnapshot {
            summary.snapshotLoadsAfterFirst += 1
        }
        let deltas = report.steps.filter { $0.kind == .delta }.count
        summary.deltasApplied += deltas
        summary.mostDeltasInOneRefresh = max(summary.mostDeltasInOneRefresh, deltas)
    }
}

/// What a service does with each new state: looks movies up by id, their director by name, and
/// movies of the same year, and checks that each index agrees with the records.
struct LookupWork {
    let count: Int
    private var random = SplitMix64(seed: 0x50AC)

    init(count: Int) { self.count = count }

    /// Lookups done and those that disagreed with the records.
    mutating func run(on state: ConsumerState) -> (Int, Int) {
        guard count > 0, let movies = state.readState.objectType("Movie"), let people = state.readState.objectType("Person"),
              let byID = state.primaryKeyIndex("Movie"), let byName = state.primaryKeyIndex("Person"),
              let byYear = state.hashIndex("byYear"), movies.ordinalCount > 0 else { return (0, 0) }
        let id = movies.field("id")!, year = movies.field("year")!, director = movies.field("director")!
        let name = people.field("name")!
        var done = 0, mismatches = 0
        for _ in 0..<count {
            let ordinal = random.below(movies.ordinalCount)
            guard movies.isPopulated(ordinal), let movieID = movies.long(ordinal, id) else { continue }
            done += 1
            if byID.ordinal(movieID) != ordinal { mismatches += 1 }
            if let person = movies.reference(ordinal, director), let personName = people.string(person, name) {
                done += 1
                if byName.ordinal(personName) != person { mismatches += 1 }
            }
            if let movieYear = movies.int(ordinal, year) {
                done += 1
                if !byYear.ordinals(movieYear).contains(ordinal) { mismatches += 1 }
            }
        }
        return (done, mismatches)
    }
}
