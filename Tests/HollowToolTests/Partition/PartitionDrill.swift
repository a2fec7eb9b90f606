import Foundation
import HollowEtcdTesting
import HollowHTTPStoreTesting
import Synchronization

/// A partition drill: consumer processes (`hollow watch --json --lookup Item`) on test hosts of
/// their own (`TestNetwork`), reaching etcd and nginx on the bridge only through their own link, a
/// producer announcing a version every two seconds, and the consumers' links cut for `cut` (longer
/// when no version was announced meanwhile) while it goes on. A lookup is sent to every consumer
/// every 100 ms throughout.
struct PartitionDrill {
    struct Plan: Sendable, CustomStringConvertible {
        var consumers = 2
        var cut: Duration = .seconds(8)
        var cycleInterval: Duration = .seconds(2)
        var itemCount = 20_000

        /// `HOLLOW_PARTITION_CONSUMERS`, `HOLLOW_PARTITION_SECONDS` (scripts/partition.sh).
        static func fromEnvironment() -> Plan {
            var plan = Plan()
            let environment = ProcessInfo.processInfo.environment
            if let count = environment["HOLLOW_PARTITION_CONSUMERS"].flatMap(Int.init) { plan.consumers = count }
            if let seconds = environment["HOLLOW_PARTITION_SECONDS"].flatMap(Int.init) { plan.cut = .seconds(seconds) }
            return plan
        }

        var description: String {
            "\(consumers) consumers in network namespaces, links cut for \(cut.milliseconds / 1000) s, a version every \(cycleInterval.milliseconds) ms, \(itemCount) records changing 1% a version"
        }
    }

    /// A lookup sent to a consumer and what it answered.
    struct Lookup: Sendable {
        var sentAt: Int64
        var version: UInt64?
        var found: Bool
    }

    struct Report: Sendable {
        var history: [FleetChecks.Announced] = []
        var served: [[FleetChecks.Served]] = []
        /// Per consumer, its answers to lookups, in order (each sent at a known time).
        var answers: [[Lookup]] = []
        var lookupsSent: [Int] = []
        /// When every link was down, and when they were all up again.
        var cutAt: Int64 = 0
        var restoredAt: Int64 = 0
        /// The last version announced when every link was down (a consumer may still finish a
        /// refresh to it whose bytes were on their way), and the last before the links returned.
        var lastBeforeCut: UInt64 = 0
        var lastBeforeRestore: UInt64 = 0
        var failedRefreshes = 0
    }

    let plan: Plan
    let runner: ToolRunner

    func run() async throws -> Report {
        let network = try TestNetwork(hosts: plan.consumers)
        defer { network.remove() }
        let blobDirectory = runner.directory + "/blobs"
        try FileManager.default.createDirectory(atPath: blobDirectory, withIntermediateDirectories: true)
        return try await EtcdServer.with(host: network.hostAddress) { etcd in
            let nginx = try await NginxServer.start(root: blobDirectory, host: network.hostAddress)
            defer { nginx.stop() }
            let log = ["--etcd", etcd.endpoint, "--etcd-prefix", "/hollow/partition"]
            return try await drill(network, producing: log + ["--blobs", blobDirectory],
                                   consuming: log + ["--blobs", nginx.baseURL + "/blobs"])
        }
    }

    private func drill(_ network: TestNetwork, producing: [String], consuming: [String]) async throws -> Report {
        let schemaPath = try runner.write("item.schema", FailoverDrill.schema)
        let source = SlowlyChangingSource(path: runner.directory + "/items.jsonl", itemCount: plan.itemCount)
        try source.write()
        let writer = Thread { source.keepChanging(every: 0.5) }
        writer.start()
        defer { writer.cancel() }
        let producer = ProducerProcess(id: "producer", arguments: [
            "produce", "--schema", schemaPath, "--source", "Item=" + source.path, "--every", "\(plan.cycleInterval.milliseconds)ms",
        ] + producing, directory: runner.directory)
        try producer.start()
        var consumers: [(process: ToolRunner.Running, input: Pipe)] = []
        do {
            return try await drill(network, producer: producer, consumers: &consumers, source: source, consuming: consuming)
        } catch {
            for host in 0..<plan.consumers { try? network.restore(host) }
            producer.killAndReap()
            for consumer in consumers {
                try? consumer.input.fileHandleForWriting.close()
                await consumer.process.stop(grace: .seconds(1))
            }
            throw error
        }
    }

    private func drill(_ network: TestNetwork, producer: ProducerProcess, consumers: inout [(process: ToolRunner.Running, input: Pipe)],
                       source: SlowlyChangingSource, consuming: [String]) async throws -> Report {
        var report = Report()
        _ = try await waitForVersion(after: 0, consuming: consuming)
        for host in 0..<plan.consumers {
            let input = Pipe()
            consumers.append((try runner.start(["watch", "--json", "--lookup", "Item"] + consuming, input: input,
                                               launcher: network.launcher(host)), input))
        }
        // Every consumer serving the latest version before the cut.
        let first = try await waitForVersion(after: 0, consuming: consuming)
        try await waitUntilServing(first, consumers.map(\.process), within: .seconds(30))

        let lookups = LookupSender(inputs: consumers.map(\.input), itemCount: plan.itemCount)
        let sending = Thread { lookups.keepSending(every: 0.1) }
        sending.start()
        defer { sending.cancel() }
        try await Task.sleep(for: .seconds(2))

        for host in 0..<plan.consumers { try network.cut(host) }
        report.cutAt = wallMilliseconds()
        report.lastBeforeCut = try await waitForVersion(after: 0, consuming: consuming)
        try await Task.sleep(for: plan.cut)
        // The cut lasts until a version was announced during it as well (at most 60 s more): on a
        // loaded machine a cycle can outlast the cut, and what the drill checks is that consumers
        // cut off keep answering and then catch up on versions they missed.
        report.lastBeforeRestore = try await waitForVersion(after: report.lastBeforeCut, consuming: consuming)
        report.restoredAt = wallMilliseconds()
        for host in 0..<plan.consumers { try network.restore(host) }
        guard report.lastBeforeRestore > report.lastBeforeCut else {
            throw DrillFailure("no version was announced during the cut (\(report.lastBeforeCut) before and after)")
        }
        try await waitUntilServing(report.lastBeforeRestore, consumers.map(\.process), within: .seconds(120))
        try await Task.sleep(for: .seconds(2))
        sending.cancel()
        try await Task.sleep(for: .milliseconds(500))  // the last answers
        report.lookupsSent = lookups.sent
        await producer.stop()

        report.history = try await history(consuming: consuming)
        for (number, consumer) in consumers.enumerated() {
            try? consumer.input.fileHandleForWriting.close()
            await consumer.process.stop()
            report.served.append(FleetChecks.served(byOutput: consumer.process.output))
            report.answers.append(Self.answers(consumer.process.output, sentAt: lookups.sentTimes(number)))
            report.failedRefreshes += consumer.process.errors.split(separator: "\n").filter { $0.hasPrefix("refresh failed") }.count
        }
        return report
    }

    /// The lookup answers in a `hollow watch --lookup` output, paired in order with when each was sent.
    static func answers(_ output: String, sentAt: [Int64]) -> [Lookup] {
        let lines = output.split(separator: "\n").compactMap { line -> [String: Any]? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], object["lookup"] != nil else { return nil }
            return object
        }
        return zip(lines, sentAt).map { object, sent in
            Lookup(sentAt: sent, version: (object["version"] as? NSNumber)?.uint64Value,
                   found: object["record"] is [String: Any])
        }
    }

    private func history(consuming: [String]) async throws -> [FleetChecks.Announced] {
        let result = try await runner.run(["history", "--json"] + consuming, timeout: .seconds(60))
        guard result.status == 0 else { throw DrillFailure("hollow history failed: \(result)") }
        return try FleetChecks.announced(byHistoryJSON: result.output)
    }

    /// The latest version once one above `version` is announced.
    private func waitForVersion(after version: UInt64, consuming: [String]) async throws -> UInt64 {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let latest = try? await history(consuming: consuming).last?.version, latest > version { return latest }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw DrillFailure("no version above \(version) was announced within 60 s")
    }

    private func waitUntilServing(_ version: UInt64, _ consumers: [ToolRunner.Running], within timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        for (number, consumer) in consumers.enumerated() {
            while (FleetChecks.served(byOutput: consumer.output).last?.version ?? 0) < version {
                guard ContinuousClock.now < deadline else {
                    throw DrillFailure("consumer \(number) does not serve version \(version) within \(timeout): "
                                       + consumer.errors.split(separator: "\n").suffix(3).joined(separator: " | "))
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}

/// Sends a primary key of an item to each consumer's standard input on a schedule.
final class LookupSender: Sendable {
    private let inputs: [Pipe]
    private let itemCount: Int
    private let times: Mutex<[[Int64]]>

    init(inputs: [Pipe], itemCount: Int) {
        self.inputs = inputs
        self.itemCount = itemCount
        times = Mutex(Array(repeating: [], count: inputs.count))
        // A consumer that died must fail the drill's checks, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
    }

    var sent: [Int] { times.withLock { $0.map(\.count) } }
    func sentTimes(_ consumer: Int) -> [Int64] { times.withLock { $0[consumer] } }

    func keepSending(every interval: TimeInterval) {
        while !Thread.current.isCancelled {
            for (number, input) in inputs.enumerated() {
                let line = "\(Int.random(in: 0..<itemCount))\n"
                do {
                    try input.fileHandleForWriting.write(contentsOf: Data(line.utf8))
                    times.withLock { $0[number].append(wallMilliseconds()) }
                } catch {
                    continue  // it is gone: its answers fall short of the lookups sent before
                }
            }
            Thread.sleep(forTimeInterval: interval)
        }
    }
}

/// A source whose every rewrite changes the values of 1% of its items, chosen at random.
final class SlowlyChangingSource: ChangingSource {
    let path: String
    private let values: Mutex<[Int]>

    init(path: String, itemCount: Int) {
        self.path = path
        values = Mutex(Array(0..<itemCount))
    }

    func write() throws {
        let text = values.withLock { values in
            for _ in 0..<max(1, values.count / 100) { values[Int.random(in: 0..<values.count)] = Int.random(in: 0..<1_000_000) }
            return values.enumerated().map { "{\"id\":\($0.offset),\"value\":\($0.element)}\n" }.joined()
        }
        try replaceWhole(path, with: text)
    }
}
