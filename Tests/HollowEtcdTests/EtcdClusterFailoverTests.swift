import HollowEtcdTesting
import Foundation
import Hollow
import HollowCore
@testable import HollowEtcd
import Synchronization
import Testing

/// A three-member cluster on loopback with TLS and authentication on: the client moves to another
/// member when one is killed, and producers and consumers ride out a member killed and restarted.
@Suite(.serialized) struct EtcdClusterFailoverTests {
    @Test func appendsHistoryAndAWatchKeepWorkingWhenAMemberIsKilled() async throws {
        try await EtcdCluster.with(tls: true, rootPassword: "root-secret") { cluster in
            let prefix = uniquePrefix("failover")
            let client = try cluster.client()
            let log = EtcdAnnouncementLog(connection: EtcdConnection(client: client), prefix: prefix, fenced: false, logger: quiet)
            let reader = EtcdAnnouncementLog(connection: try cluster.connection(), prefix: prefix, fenced: false, logger: quiet)
            let changes = Atomic<Int>(0)
            let watching = Task {
                for await _ in reader.watch() { changes.add(1, ordering: .relaxed) }
            }
            defer { watching.cancel() }
            try await log.append(announcement(1))
            #expect(await eventually { changes.load(ordering: .relaxed) >= 2 })

            // Kill the member the client talks to: it moves on.
            let answering = client.preferredEndpointIndex.withLock { $0 }
            await cluster.members[answering].kill()
            // A hang guard, not a latency figure: on a loaded machine an append that meets the dead
            // member and then a raft election has taken 22 s; one that ignored its retry budget would
            // never end.
            let bound = client.configuration.retryBudget * 2 + .seconds(30)
            for version in 2...4 as ClosedRange<UInt64> {
                let started = ContinuousClock.now
                try await log.append(announcement(version))
                let took = ContinuousClock.now - started
                print("etcd cluster failover: append \(version) after a member kill took \(took)")
                #expect(took < bound, "append \(version) took \(took)")
            }
            #expect(client.preferredEndpointIndex.withLock { $0 } != answering)
            #expect(try await log.history().announcements.map(\.version) == [1, 2, 3, 4])
            #expect(try await reader.history().announcements.map(\.version) == [1, 2, 3, 4])
            // The watch, opened again on a live member, sees the next append.
            let seen = changes.load(ordering: .relaxed)
            try await log.append(announcement(5))
            #expect(await eventually(within: .seconds(30)) { changes.load(ordering: .relaxed) > seen })

            // Back, and another one killed: still working.
            try await cluster.members[answering].restart()
            await cluster.members[(answering + 1) % 3].kill()
            try await log.append(announcement(6))
            #expect(try await reader.history().announcements.map(\.version) == [1, 2, 3, 4, 5, 6])
        }
    }

    @Test func aProducerAndAConsumerRideOutAMemberKilledAndRestarted() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hollow-etcd-cluster-store-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await EtcdCluster.with(tls: true, rootPassword: "root-secret") { cluster in
            let prefix = uniquePrefix("ride-out")
            let store = try FileSystemBlobStore(directory: directory)
            let connection = try cluster.connection()
            let election = EtcdLeaderElection(connection: connection, prefix: prefix, participantID: "producer", leaseTTL: .seconds(10), logger: quiet)
            let producer = Producer(schema: EtcdProducerTests.schema, blobStore: store,
                                    announcementLog: EtcdAnnouncementLog(connection: connection, prefix: prefix, logger: quiet),
                                    leaderElection: election, configuration: .init(producerID: "producer", snapshotEvery: 100), logger: quiet)
            let consumer = Consumer(blobStore: store, announcementLog: EtcdAnnouncementLog(connection: try cluster.connection(), prefix: prefix, logger: quiet),
                                    logger: quiet)
            _ = try await election.waitForLeadership()

            var titles: [Int64: String] = [:]
            var slowest = Duration.zero
            for cycle in 1...12 as ClosedRange<Int64> {
                if cycle == 4 { await cluster.members[0].kill() }
                if cycle == 7 { try await cluster.members[0].restart() }
                if cycle == 9 { await cluster.members[2].kill() }
                titles[cycle] = "Movie \(cycle)"
                let started = ContinuousClock.now
                let outcome = try await producer.runCycle { try EtcdProducerTests.populate($0, titles) }
                #expect(outcome.version == UInt64(cycle))
                let refreshed = try await consumer.refresh()
                #expect(refreshed.toVersion == UInt64(cycle))
                slowest = max(slowest, ContinuousClock.now - started)
            }
            // No failure visible, only a bounded delay: a dead member costs at most a request timeout,
            // twice for an append in flight while the cluster elects a new raft leader (sent again).
            #expect(slowest < .seconds(30), "slowest cycle and refresh: \(slowest)")
            #expect(try await election.currentLeadership() != nil)
            await election.resign()
        }
    }
}
