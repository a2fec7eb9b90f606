import HollowEtcdTesting
import Foundation
import Hollow
import HollowCore
@testable import HollowEtcd
import Testing

/// Producers on etcd: a leader runs cycles, a standby takes over after it resigns and continues
/// the same chain of versions; a consumer follows.
@Suite struct EtcdProducerTests {
    static let schema = try! Schema(parsing: """
        type Movie key(id) {
            id: long
            title: string
        }
        """)

    static func populate(_ state: WriteState, _ titles: [Int64: String]) throws {
        for (id, title) in titles {
            var record = ObjectRecord(schema.object("Movie")!)
            try record.set("id", .long(id))
            try record.set("title", .string(title))
            try state.add(record)
        }
    }

    @Test func aStandbyTakesOverAfterTheLeaderResignsAndContinuesTheChain() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hollow-etcd-store-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await EtcdServer.with { server in
            let prefix = uniquePrefix("catalog")
            let store = try FileSystemBlobStore(directory: directory)
            func producer(_ id: String) throws -> (Producer, EtcdLeaderElection) {
                let client = try server.client()
                // A lease far longer than the test's cycles: the takeover here comes from a resignation,
                // and a loaded machine must not end the leadership on its own.
                let election = EtcdLeaderElection(connection: EtcdConnection(client: client), prefix: prefix, participantID: id,
                                                  leaseTTL: .seconds(20), logger: quiet)
                let log = EtcdAnnouncementLog(connection: EtcdConnection(client: client), prefix: prefix, logger: quiet)
                return (Producer(schema: Self.schema, blobStore: store, announcementLog: log, leaderElection: election,
                                 configuration: .init(producerID: id, snapshotEvery: 100), logger: quiet), election)
            }
            let (first, firstElection) = try producer("first")
            let (second, secondElection) = try producer("second")
            let consumer = Consumer(blobStore: store, announcementLog: EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, logger: quiet),
                                    logger: quiet)

            let firstTerm = try await firstElection.waitForLeadership().term
            var titles: [Int64: String] = [:]
            for version in 1...3 as ClosedRange<Int64> {
                titles[version] = "Movie \(version)"
                let outcome = try await first.runCycle { try Self.populate($0, titles) }
                #expect(outcome.version == UInt64(version))
            }
            // The standby does not lead: its cycle announces nothing.
            let standbyError = await #expect(throws: ProducerError.self) { try await second.runCycle { try Self.populate($0, titles) } }
            #expect(standbyError.map { if case .notLeader = $0 { true } else { false } } == true, "\(String(describing: standbyError))")
            #expect(try await consumer.refresh().toVersion == 3)

            let standby = Task { try await secondElection.waitForLeadership() }
            await firstElection.resign()
            let secondTerm = try await standby.value.term
            #expect(secondTerm > firstTerm)
            // The old leader is refused now.
            titles[99] = "Never"
            let deposedError = await #expect(throws: ProducerError.self) { try await first.runCycle { try Self.populate($0, titles) } }
            #expect(deposedError.map { if case .notLeader = $0 { true } else { false } } == true, "\(String(describing: deposedError))")
            titles[99] = nil

            titles[4] = "Movie 4"
            titles[1] = "Movie 1, restored"
            let outcome = try await second.runCycle { try Self.populate($0, titles) }
            guard case .announced(let announcement, _) = outcome else { Issue.record("\(outcome)"); return }
            // The new leader's first cycle is a delta from the last announced version, under its term.
            #expect(announcement.version == 4)
            #expect(announcement.previousVersion == 3)
            #expect(announcement.delta != nil)
            #expect(announcement.term == secondTerm)
            #expect(announcement.producerID == "second")

            // A leader that slept through its deposition and still believes in its old term (a
            // process paused past its lease, say) is fenced by the log itself.
            let sleeper = Producer(schema: Self.schema, blobStore: store,
                                   announcementLog: EtcdAnnouncementLog(connection: try server.connection(), prefix: prefix, logger: quiet),
                                   leaderElection: SoleProducer(term: firstTerm), configuration: .init(producerID: "sleeper"), logger: quiet)
            titles[98] = "Never either"
            let fencedError = await #expect(throws: ProducerError.self) { try await sleeper.runCycle { try Self.populate($0, titles) } }
            titles[98] = nil
            // Reported as the log's `.fenced(term:currentTerm:)`, or as the producer's own word for
            // it: either way, naming both terms.
            let fencedText = fencedError.map { "\($0)" } ?? ""
            #expect(fencedText.contains("term \(firstTerm)") && fencedText.contains("term \(secondTerm)"), "\(fencedText)")

            let report = try await consumer.refresh()
            #expect(report.toVersion == 4)
            #expect(report.steps.map(\.kind) == [.delta])
            let state = try #require(consumer.current?.readState)
            #expect(state.objectType("Movie")?.ordinals.count == 4)
            await secondElection.resign()
        }
    }
}
