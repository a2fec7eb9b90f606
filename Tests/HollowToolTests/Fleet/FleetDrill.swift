import Foundation
import Hollow
import HollowEtcd
import HollowEtcdTesting
import HollowHTTPStore
import HollowHTTPStoreTesting
import HollowS3
import HollowS3Testing
import Synchronization

/// A fleet drill: a leader and a standby `hollow produce` on a three-member etcd with TLS and
/// authentication, blobs in an S3 bucket (moto) or served by nginx over HTTPS, and consumer
/// processes (`hollow watch --json`) that share nothing with the producers but etcd and the blobs.
/// While versions are announced about once a second, the leader is killed (SIGKILL) and etcd
/// members are killed and restarted. Meanwhile a service (`FleetService`) writes to the source and
/// waits until its own consumer, built in Swift from the same addresses, serves its write.
/// `FleetChecks` says what must hold afterwards.
struct FleetDrill {
    enum Blobs: String, Sendable {
        /// An S3 bucket on moto, written by the producers and read by the consumers.
        case s3
        /// The producers' blob directory, served by nginx over HTTPS with a bearer token.
        case nginx
    }

    struct Plan: Sendable, CustomStringConvertible {
        var consumers = 3
        var versions = 10
        var leaderKills = 1
        var memberKills = 1
        var cycleInterval: Duration = .seconds(1)
        var lease: Duration = .seconds(2)
        var itemCount = 2_000

        /// `HOLLOW_FLEET_CONSUMERS`, `_VERSIONS`, `_LEADER_KILLS`, `_MEMBER_KILLS` (scripts/fleet.sh).
        static func fromEnvironment() -> Plan {
            var plan = Plan()
            let environment = ProcessInfo.processInfo.environment
            func read(_ name: String) -> Int? { environment["HOLLOW_FLEET_" + name].flatMap(Int.init) }
            plan.consumers = read("CONSUMERS") ?? plan.consumers
            plan.versions = read("VERSIONS") ?? plan.versions
            plan.leaderKills = read("LEADER_KILLS") ?? plan.leaderKills
            plan.memberKills = read("MEMBER_KILLS") ?? plan.memberKills
            return plan
        }

        var description: String {
            "\(consumers) consumers, \(versions) versions every \(cycleInterval.milliseconds) ms, \(leaderKills) leader kills, \(memberKills) etcd member kills, lease \(lease.milliseconds) ms"
        }
    }

    /// What the drill saw; `FleetChecks` reads it.
    struct Report: Sendable {
        var history: [FleetChecks.Announced] = []
        /// Per consumer, the versions it served in order, with the wall-clock millisecond of each.
        var served: [[FleetChecks.Served]] = []
        /// Milliseconds from a leader's SIGKILL to the first announcement of a new term.
        var takeovers: [Int64] = []
        /// Refreshes that failed (and were ridden out), summed over the consumers.
        var failedRefreshes = 0
        /// Consumers that did not reach the last version in time, with their last lines.
        var stragglers: [String] = []
        /// The service's writes, each read back through `waitUntilServing(changesMadeAt:)`.
        var readAfterWrite: [FleetService.Probe] = []
        /// What went wrong for the service: a wait that timed out, a version without its write.
        var serviceProblems: [String] = []
    }

    let plan: Plan
    let blobs: Blobs
    let runner: ToolRunner

    func run() async throws -> Report {
        try await EtcdCluster.with(size: 3, tls: true, rootPassword: "fleet-secret") { cluster in
            let certificates = cluster.certificates!
            let etcd = ["--etcd", cluster.endpoints.joined(separator: ","), "--etcd-prefix", "/hollow/fleet",
                        "--etcd-ca", certificates.certificateAuthorityFile, "--etcd-cert", certificates.clientCertificateFile,
                        "--etcd-key", certificates.clientKeyFile, "--etcd-user", "root"]
            var environment = ["HOLLOW_ETCD_PASSWORD": "fleet-secret"]
            let connection = try EtcdConnection(configuration: .init(
                endpoints: cluster.endpoints,
                tls: .init(certificateAuthorityFile: certificates.certificateAuthorityFile,
                           clientCertificateFile: certificates.clientCertificateFile, clientKeyFile: certificates.clientKeyFile),
                credentials: .init(user: "root", password: "fleet-secret")), logger: quiet)
            let serviceLog = EtcdAnnouncementLog(connection: connection, prefix: "/hollow/fleet", logger: quiet)
            switch blobs {
            case .s3:
                return try await MotoServer.with { moto in
                    try await moto.createBucket("fleet")
                    environment["AWS_ACCESS_KEY_ID"] = "testing"
                    environment["AWS_SECRET_ACCESS_KEY"] = "testing"
                    let url = "s3://fleet/catalog?endpoint=\(moto.endpoint)&region=us-east-1"
                    // A service's store from the same address, its credentials given in code.
                    var configuration = try S3BlobStore.Configuration(url: url)
                    configuration.credentials = .static(S3Credentials(accessKeyID: "testing", secretAccessKey: "testing"))
                    let serviceBlobs = try S3BlobStore(configuration: configuration, logger: quiet)
                    return try await drill(cluster, producing: etcd + ["--blobs", url], consuming: etcd + ["--blobs", url],
                                           environment: environment, service: (serviceBlobs, serviceLog))
                }
            case .nginx:
                let directory = runner.directory + "/served-blobs"
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                let certificate = try TestCertificates()
                defer { certificate.remove() }
                let nginx = try await NginxServer.start(root: directory, certificate: (certificate.certificate, certificate.key))
                defer { nginx.stop() }
                let served = ["--blobs", nginx.baseURL + "/private", "--blobs-header", "Authorization: Bearer \(NginxServer.token)",
                              "--blobs-ca", certificate.authority]
                let serviceBlobs = try HTTPBlobStore(configuration: .init(
                    baseURL: nginx.baseURL + "/private", headers: [("Authorization", "Bearer \(NginxServer.token)")],
                    trustedCertificatesFile: certificate.authority), logger: quiet)
                do {
                    let report = try await drill(cluster, producing: etcd + ["--blobs", directory], consuming: etcd + served,
                                                 environment: environment, service: (serviceBlobs, serviceLog))
                    try await serviceBlobs.shutdown()
                    return report
                } catch {
                    try? await serviceBlobs.shutdown()
                    throw error
                }
            }
        }
    }

    private func drill(_ cluster: EtcdCluster, producing: [String], consuming: [String], environment: [String: String],
                       service: (blobs: any BlobStore, log: any AnnouncementLog)) async throws -> Report {
        let schemaPath = try runner.write("item.schema", FailoverDrill.schema)
        let source = SourceWriter(path: runner.directory + "/items.jsonl", itemCount: plan.itemCount)
        try source.write()
        let writer = Thread { source.keepChanging(every: 0.4) }
        writer.start()
        defer { writer.cancel() }

        let arguments = ["produce", "--schema", schemaPath, "--source", "Item=" + source.path,
                         "--every", "\(plan.cycleInterval.milliseconds)ms", "--snapshot-every", "10", "--keep-snapshots", "1000",
                         "--lease", "\(plan.lease.milliseconds)ms"] + producing
        let producers = ["leader", "standby"].map { ProducerProcess(id: $0, arguments: arguments, directory: runner.directory, environment: environment) }
        // The drill polls the log in process (a `hollow history` every poll would load the
        // machine whose latency it measures); the consumer processes see it on their own.
        let log = service.log
        var consumers: [ToolRunner.Running] = []
        var report = Report()
        do {
            try producers[0].start()
            try await waitForVersions(1, log: log)
            try producers[1].start()
            for _ in 0..<plan.consumers {
                consumers.append(try runner.start(["watch", "--json"] + consuming, environment: environment))
            }
            let serviceConsumer = Consumer(blobStore: service.blobs, announcementLog: log,
                                           configuration: .init(name: "fleet-service", indexes: [.primaryKey("Item")]), logger: quiet)
            let watching = Task { await serviceConsumer.watch() }
            let fleetService = FleetService(consumer: serviceConsumer, source: source)
            let writing = Task { await fleetService.keepWriting(every: .seconds(2)) }
            defer {
                writing.cancel()
                watching.cancel()
            }

            for (atVersion, event) in schedule() {
                try await waitForVersions(atVersion, log: log)
                switch event {
                case .leaderKill:
                    report.takeovers.append(try await killTheLeader(producers, log: log))
                case .memberKill(let number):
                    // A member crashes and comes back 5 s later with its data.
                    let member = cluster.members[number % cluster.members.count]
                    await member.kill()
                    try await Task.sleep(for: .seconds(5))
                    try await member.restart()
                }
            }
            try await waitForVersions(plan.versions, log: log)
            // A loaded machine may not have finished one write and its read before the last
            // version (a CI run saw none): the producers keep going meanwhile, so wait for one.
            let lastVersionAt = ContinuousClock.now
            while fleetService.completed.isEmpty && fleetService.problems.isEmpty && ContinuousClock.now - lastVersionAt < .seconds(60) {
                try await Task.sleep(for: .milliseconds(100))
            }
            writing.cancel()
            await writing.value
            report.readAfterWrite = fleetService.completed
            report.serviceProblems = fleetService.problems

            writer.cancel()
            for producer in producers { await producer.stop() }
            // The announcements as a consumer host reads them.
            report.history = try await history(consuming: consuming, environment: environment)
            let last = try (report.history.last?.version).orThrow("nothing was announced")
            let deadline = ContinuousClock.now + .seconds(60)
            for consumer in consumers {
                while ContinuousClock.now < deadline, (FleetChecks.served(byOutput: consumer.output).last?.version ?? 0) < last {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            for consumer in consumers {
                await consumer.stop()
                let served = FleetChecks.served(byOutput: consumer.output)
                report.served.append(served)
                report.failedRefreshes += consumer.errors.split(separator: "\n").filter { $0.hasPrefix("refresh failed") }.count
                if (served.last?.version ?? 0) != last {
                    report.stragglers.append("a consumer ends on \(served.last.map { "version \($0.version)" } ?? "nothing"), not \(last); it said: "
                                             + consumer.errors.split(separator: "\n").suffix(3).joined(separator: " | "))
                }
            }
            return report
        } catch {
            for producer in producers { producer.killAndReap() }
            for consumer in consumers { await consumer.stop(grace: .seconds(1)) }
            throw error
        }
    }

    enum Event {
        case leaderKill
        case memberKill(Int)
    }

    /// The kills by the number of versions announced before each: the leader's evenly spread,
    /// the members' between them (offset by half the leader kills' spacing).
    func schedule() -> [(atVersion: Int, event: Event)] {
        var events: [(atVersion: Int, event: Event)] = []
        for kill in 0..<plan.leaderKills { events.append(((kill + 1) * plan.versions / (plan.leaderKills + 1), .leaderKill)) }
        let offset = plan.versions / (2 * (plan.leaderKills + 1))
        for kill in 0..<plan.memberKills {
            events.append(((kill + 1) * plan.versions / (plan.memberKills + 1) + offset, .memberKill(kill)))
        }
        return events.sorted { $0.atVersion < $1.atVersion }
    }

    /// The announced versions, read as a consumer host reads them (`hollow history --json`).
    private func history(consuming: [String], environment: [String: String]) async throws -> [FleetChecks.Announced] {
        let result = try await runner.run(["history", "--json"] + consuming, timeout: .seconds(60), environment: environment)
        guard result.status == 0 else { throw DrillFailure("hollow history failed: \(result)") }
        return try FleetChecks.announced(byHistoryJSON: result.output)
    }

    private func waitForVersions(_ count: Int, log: any AnnouncementLog) async throws {
        let deadline = ContinuousClock.now + .seconds(Int64(30 + count * 3))
        var seen = 0
        while ContinuousClock.now < deadline {
            if let history = try? await log.history() {
                seen = history.announcements.count
                if seen >= count { return }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DrillFailure("\(seen) versions announced, not \(count), before the deadline")
    }

    /// SIGKILLs the producer that announced last, restarts it as a standby, and returns the time
    /// until a new term announced.
    private func killTheLeader(_ producers: [ProducerProcess], log: any AnnouncementLog) async throws -> Int64 {
        let latest = try (try await log.history().latest).orThrow("nothing announced")
        let leader = try producers.first { $0.id == latest.producerID }.orThrow("version \(latest.version) was announced by \(latest.producerID)")
        let killedAt = wallMilliseconds()
        leader.killAndReap()
        try leader.start()
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let next = try? await log.history().latest, next.term > latest.term {
                return max(0, next.timestampMilliseconds - killedAt)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DrillFailure("no new term announced within 60 s of killing \(leader.id) (term \(latest.term))")
    }
}
