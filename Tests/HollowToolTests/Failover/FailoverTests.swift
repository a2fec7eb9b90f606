import Foundation
import Hollow
import HollowEtcd
import HollowEtcdTesting
import Testing

/// Failover drills of the built tool: leaders killed and paused at random stages of their cycles,
/// and what must hold afterwards. `HOLLOW_FAILOVER_KILLS=300 scripts/failover.sh` runs a long one.
@Suite struct FailoverTests {
    static var kills: Int { ProcessInfo.processInfo.environment["HOLLOW_FAILOVER_KILLS"].flatMap(Int.init) ?? 30 }

    @Test func producersOnALeaseFileFailOverWithoutBreakingTheChain() async throws {
        let runner = ToolRunner()
        defer { runner.remove() }
        try runner.makeStore()
        // The lease is 1 s alone (scripts/failover.sh) and 2 s in the whole suite, where the drill
        // shares two cores with every other test and a 1 s lease can be lost to starvation alone.
        let lease: Duration = ProcessInfo.processInfo.environment["HOLLOW_FAILOVER_KILLS"] == nil ? .seconds(2) : .seconds(1)
        let backend = FileBackend(store: runner.store, lease: lease)
        try await drill(backend, directory: runner.directory)
    }

    @Test func producersOnEtcdFailOverWithoutBreakingTheChain() async throws {
        let runner = ToolRunner()
        defer { runner.remove() }
        try runner.makeStore()
        try await EtcdServer.with { etcd in
            let backend = EtcdBackend(store: runner.store, endpoint: etcd.endpoint, lease: .seconds(2))
            try await drill(backend, directory: runner.directory)
        }
    }

    func drill(_ backend: any FailoverBackend, directory: String) async throws {
        var drill = FailoverDrill(backend: backend, directory: directory, kills: Self.kills)
        if let seed = ProcessInfo.processInfo.environment["HOLLOW_FAILOVER_SEED"] { drill.seed = seed }
        let report = try await drill.run()
        let history = try await backend.makeLog().history()
        let problems = await FailoverChecks.violations(history: history, store: try FileSystemBlobStore(directory: directory + "/store/blobs"))
        #expect(problems.all.isEmpty, "\(problems.all.prefix(20).joined(separator: "\n"))")
        print(FailoverSummary(backend: backend, report: report, violations: problems, seed: drill.seed))
    }
}

/// Producers elected through the store's lease file, their log fenced by it.
struct FileBackend: FailoverBackend {
    let store: String
    let lease: Duration
    var name: String { "files" }
    var producerArguments: [String] { ["--store", store, "--lease", "\(lease.milliseconds)ms"] }
    func makeLog() throws -> any AnnouncementLog { try FileSystemAnnouncementLog(file: store + "/announcements.jsonl") }
}

/// Producers elected on etcd, the log on etcd (fenced by the leader key), blobs on files.
struct EtcdBackend: FailoverBackend {
    let store: String
    let endpoint: String
    let lease: Duration
    let prefix = "/hollow/drill"
    var name: String { "etcd" }
    var producerArguments: [String] { ["--store", store, "--etcd", endpoint, "--etcd-prefix", prefix, "--lease", "\(lease.milliseconds)ms"] }
    func makeLog() throws -> any AnnouncementLog {
        EtcdAnnouncementLog(connection: try EtcdConnection(endpoints: [endpoint], logger: quiet), prefix: prefix, logger: quiet)
    }
}

/// The figures of a drill, printed by the test.
struct FailoverSummary: CustomStringConvertible {
    let backend: any FailoverBackend
    let report: FailoverDrill.Report
    let violations: FailoverChecks.Violations
    let seed: String

    var description: String {
        let takeovers = report.kills.map(\.takeover.milliseconds).sorted()
        let lost = report.kills.map { max(0, Int(($0.takeover.milliseconds + 199) / 200) - 1) }
        let latencies = report.servingLatencies.sorted()
        func percentile(_ values: [Int64], _ p: Double) -> Int64 { values.isEmpty ? 0 : values[min(values.count - 1, Int(Double(values.count) * p))] }
        var byStage: [String: Int] = [:]
        for kill in report.kills { byStage["\(kill.signal) \(kill.stage)", default: 0] += 1 }
        return """
            failover drill on \(backend.name), lease \(backend.lease.milliseconds) ms, cycles every 200 ms, seed \(seed)
              kills: \(report.kills.count) (\(byStage.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))
              takeover: median \(percentile(takeovers, 0.5)) ms, p99 \(percentile(takeovers, 0.99)) ms, worst \(takeovers.last ?? 0) ms
              cycles lost per takeover: mean \(String(format: "%.1f", Double(lost.reduce(0, +)) / Double(max(1, lost.count)))), worst \(lost.max() ?? 0)
              announcement to consumer serving: median \(percentile(latencies, 0.5)) ms, p99 \(percentile(latencies, 0.99)) ms, worst \(latencies.last ?? 0) ms
              versions: \(report.versions); cycles of deposed leaders: \(report.cyclesDeposed), of which fenced off by the log: \(report.fencedAnnouncements); paused leaders resumed to unblock: \(report.kills.filter(\.resumedToUnblock).count)
              broken chains: \(violations.brokenChain.count); versions announced twice: \(violations.twice.count); out of order: \(violations.outOfOrder.count); announcements from a deposed term: \(violations.deposed.count); terms shared by two producers: \(violations.sharedTerms.count)
            """
    }
}
