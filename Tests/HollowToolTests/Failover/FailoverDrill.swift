import Foundation
import Hollow
import HollowCore
import Logging
import PropertyBased
import Synchronization

/// Where a drill's producers coordinate: files (a lease file) or etcd.
protocol FailoverBackend: Sendable {
    var name: String { get }
    /// The lease the producers are elected with.
    var lease: Duration { get }
    /// The `hollow produce` arguments that choose the store, the log and the election.
    var producerArguments: [String] { get }
    /// A log for a consumer or the drill's checks.
    func makeLog() throws -> any AnnouncementLog
}

/// A failover drill: three `hollow produce` processes elected on one store, cycling every 200 ms
/// over a source that changes all the time, and two consumers. The leader is killed (SIGKILL) or
/// paused (SIGSTOP, then SIGCONT once another leads) at a random stage of its cycle, `kills` times.
struct FailoverDrill {
    let backend: any FailoverBackend
    /// The store's directory (its blobs are in `blobs/`), and room for the drill's files.
    let directory: String
    let kills: Int
    var cycleInterval: Duration = .milliseconds(200)
    var itemCount = 3_000
    /// Chooses the signals and stages (`Xoshiro.currentSeed`, printed by the test).
    var seed = Xoshiro().currentSeed

    static let schema = "type Item key(id) { id: long value: long }"
    static let stages = ["populating", "writing-blobs", "announcing"]

    struct Kill: Sendable {
        var signal: String
        var stage: String
        var term: UInt64
        var takeover: Duration
        /// True when the paused leader had to be resumed before anyone could take over (it held a lock).
        var resumedToUnblock = false
    }

    struct Report: Sendable {
        var kills: [Kill] = []
        /// Milliseconds from an announcement to a consumer serving it.
        var servingLatencies: [Int64] = []
        var versions = 0
        /// Cycles of deposed leaders that announced nothing: noticed by the producer itself (its
        /// lease had run out when it woke), or refused by the log's fence.
        var cyclesDeposed = 0
        var fencedAnnouncements = 0
    }

    /// Runs the drill and returns what it saw; throws when the drill itself cannot go on (no
    /// takeover within a minute, say). The checks of the outcome are `FailoverChecks`.
    func run() async throws -> Report {
        guard var random = Xoshiro(seed: seed) else { throw DrillFailure("\(seed) is not a seed printed by a drill") }
        let schemaPath = directory + "/item.schema"
        let sourcePath = directory + "/items.jsonl"
        try Data(Self.schema.utf8).write(to: URL(fileURLWithPath: schemaPath))
        let source = SourceWriter(path: sourcePath, itemCount: itemCount)
        try source.write()
        // On a thread of its own: the whole suite can keep the two threads of the concurrency pool
        // busy for long stretches, and a source that stops changing stops the producers' versions.
        let writer = Thread { source.keepChanging(every: 0.1) }
        writer.start()
        defer { writer.cancel() }

        let arguments = ["produce", "--schema", schemaPath, "--source", "Item=" + sourcePath, "--every", "\(cycleInterval.milliseconds)ms",
                         "--snapshot-every", "3", "--keep-snapshots", "1000000"] + backend.producerArguments
        let producers = (0..<3).map { ProducerProcess(id: "p\($0)", arguments: arguments, directory: directory) }
        for producer in producers { try producer.start() }
        let consumers = try (0..<2).map { number in
            DrillConsumer(Consumer(blobStore: try FileSystemBlobStore(directory: directory + "/store/blobs"),
                                   announcementLog: try backend.makeLog(),
                                   configuration: .init(name: "drill-\(number)"), logger: quiet))
        }
        let log = try backend.makeLog()
        var report = Report()
        do {
            for _ in 0..<kills {
                report.kills.append(try await killTheLeader(producers, log: log, random: &random))
            }
            // A last steady leader, then everyone stops (SIGTERM: the leader resigns).
            _ = try await steadyLeader(producers, log: log)
        } catch {
            for producer in producers { producer.killAndReap() }
            throw error
        }
        writer.cancel()
        for producer in producers { await producer.stop() }
        let history = try await log.history()
        let last = try (history.latest?.version).orThrow("no version was announced")
        for consumer in consumers {
            guard await consumer.waitFor(version: last, within: .seconds(60)) else {
                throw DrillFailure("consumer \(consumer.consumer.configuration.name) ends on \(consumer.consumer.currentVersion.map(String.init) ?? "nothing"), not on the last version \(last)")
            }
            consumer.stop()
        }
        let announced = Dictionary(history.announcements.map { ($0.version, $0.timestampMilliseconds) }) { first, _ in first }
        for consumer in consumers {
            for (version, servedAt) in consumer.served {
                if let announcedAt = announced[version] { report.servingLatencies.append(servedAt - announcedAt) }
            }
        }
        report.versions = history.announcements.count
        report.fencedAnnouncements = producers.reduce(0) { $0 + $1.lines.filter { $0.contains("the log fenced the announcement") }.count }
        report.cyclesDeposed = producers.reduce(0) { $0 + $1.lines.filter { $0.contains("was lost during the cycle") && $0.hasPrefix("hollow:") }.count }
        return report
    }

    /// Waits for a leader that has announced twice in its term, then signals it at a random stage
    /// and measures the time until another term announces.
    private func killTheLeader(_ producers: [ProducerProcess], log: any AnnouncementLog,
                               random: inout Xoshiro) async throws -> Kill {
        let stage = Self.stages[Int(random.next() % UInt64(Self.stages.count))]
        let pause = random.next() % 2 == 0
        var leader: ProducerProcess
        var term: UInt64
        var attempts = 0
        repeat {
            // The leader may lose its lease on its own (a loaded machine): then choose again.
            attempts += 1
            guard attempts <= 5 else { throw DrillFailure("no leader logged the stage \(stage) in five tries of 20 s") }
            (leader, term) = try await steadyLeader(producers, log: log)
        } while await leader.waitForLine(containing: "stage=\(stage)", after: leader.lineCount, timeout: .seconds(20)) == nil
        // Somewhere in the stage: it lasts milliseconds.
        try await Task.sleep(for: .microseconds(Int64(random.next() % 3_000)))
        let signalledAt = wallMilliseconds()
        leader.signal(pause ? SIGSTOP : SIGKILL)

        var kill = Kill(signal: pause ? "SIGSTOP" : "SIGKILL", stage: stage, term: term, takeover: .zero)
        let deadline = ContinuousClock.now + .seconds(90)
        let unblockAfter = ContinuousClock.now + backend.lease * 5
        while true {
            if let latest = try? await log.history().latest, latest.term > term {
                kill.takeover = .milliseconds(max(0, latest.timestampMilliseconds - signalledAt))
                break
            }
            if pause && !kill.resumedToUnblock && ContinuousClock.now > unblockAfter {
                // On files, a producer paused during an append holds the log's lock: no one can
                // announce until it runs again.
                kill.resumedToUnblock = true
                leader.signal(SIGCONT)
            }
            guard ContinuousClock.now < deadline else {
                throw DrillFailure("no new term announced within 90 s of \(kill.signal) of \(leader.id) (term \(term), stage \(stage))")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        if pause {
            try await Task.sleep(for: .milliseconds(Int64(random.next() % 300)))
            leader.signal(SIGCONT)
        } else {
            leader.killAndReap()
            try leader.start()
        }
        return kill
    }

    /// The producer that leads now, once it has announced two versions in its term.
    private func steadyLeader(_ producers: [ProducerProcess], log: any AnnouncementLog) async throws -> (ProducerProcess, UInt64) {
        func steady() async -> (ProducerProcess, UInt64)? {
            guard let history = try? await log.history(), let latest = history.latest,
                  history.announcements.suffix(2).allSatisfy({ $0.term == latest.term }), history.announcements.count >= 2,
                  let leader = producers.first(where: { $0.id == latest.producerID }) else { return nil }
            return (leader, latest.term)
        }
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            if let found = await steady() { return found }
            try await Task.sleep(for: .milliseconds(10))
        }
        // Once more: the whole suite can keep this task off both threads past the deadline.
        if let found = await steady() { return found }
        // Say what was going on, for the next person: the last announcements and what each producer said.
        let recent = ((try? await log.history())?.announcements.suffix(6) ?? []).map { "v\($0.version) term \($0.term) by \($0.producerID)" }
        let said = producers.map { "\($0.id): " + $0.lastErrorLines(4).joined(separator: " | ") }
        throw DrillFailure("no producer announced twice in one term within 90 s; last announcements: \(recent); producers: \(said)")
    }
}

/// A consumer of the drill, watching the log and noting when it served each version.
final class DrillConsumer: Sendable {
    let consumer: Consumer
    private let servedAt = Mutex<[(UInt64, Int64)]>([])
    private let watching = Mutex<Task<Void, Never>?>(nil)

    init(_ consumer: Consumer) {
        self.consumer = consumer
        consumer.addRefreshListener { [weak self] event in
            if case .refreshed(let report) = event {
                self?.servedAt.withLock { $0.append((report.toVersion, wallMilliseconds())) }
            }
        }
        watching.withLock { $0 = Task { await consumer.watch() } }
    }

    var served: [(UInt64, Int64)] { servedAt.withLock { $0 } }

    func waitFor(version: UInt64, within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let current = consumer.currentVersion, current >= version { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func stop() { watching.withLock { $0?.cancel() } }
}

/// The drill's source file, rewritten whole (by rename) with about 5% of the values changed each time.
final class SourceWriter: ChangingSource {
    let path: String
    let itemCount: Int
    private let round = Atomic<Int>(0)
    /// When not zero, the value of an extra item, -1: what a fleet drill's service writes.
    private let marker = Atomic<Int>(0)
    /// One write at a time: the rewrites on a schedule and a service's write.
    private let writing = Mutex(())

    init(path: String, itemCount: Int) {
        self.path = path
        self.itemCount = itemCount
    }

    func setMarker(_ value: Int) { marker.store(value, ordering: .relaxed) }

    func write() throws {
        try writing.withLock { _ in try writeNow() }
    }

    private func writeNow() throws {
        let round = round.wrappingAdd(1, ordering: .relaxed).newValue
        var text = ""
        let marker = marker.load(ordering: .relaxed)
        if marker != 0 { text += "{\"id\":-1,\"value\":\(marker)}\n" }
        text.reserveCapacity(itemCount * 32)
        for id in 0..<itemCount {
            // Each round changes the items of one residue class, in turn.
            let value = id % 20 == round % 20 ? round : id % 20
            text += "{\"id\":\(id),\"value\":\(value)}\n"
        }
        try replaceWhole(path, with: text)
    }
}

/// A drill's source, rewritten on a schedule by a thread of its own.
protocol ChangingSource: Sendable {
    func write() throws
}

extension ChangingSource {
    /// Rewrites the source every `interval` seconds until the current thread is cancelled.
    func keepChanging(every interval: TimeInterval) {
        while !Thread.current.isCancelled {
            Thread.sleep(forTimeInterval: interval)
            try? write()
        }
    }
}

/// Writes `text` to `path` as producers expect a source to change: whole, by a rename.
func replaceWhole(_ path: String, with text: String) throws {
    let temporary = path + ".tmp"
    try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
    guard rename(temporary, path) == 0 else { throw DrillFailure("renaming \(temporary) to \(path)") }
}

struct DrillFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Optional {
    func orThrow(_ message: String) throws -> Wrapped {
        guard let self else { throw DrillFailure(message) }
        return self
    }
}

func wallMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}

/// The drill's consumers log nothing: the failures they ride out are the drill's point.
let quiet = Logger(label: "drill", factory: { _ in SwiftLogNoOpLogHandler() })
