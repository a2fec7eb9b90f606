import Hollow
import HollowCore
@testable import HollowS3
import HollowS3Testing
import HollowTesting
import Testing

/// A producer and a consumer on an S3 store: cycles announced in a log, the consumer following
/// by deltas, the cleaner deleting what no retained version needs.
@Suite struct S3ProducerConsumerTests {
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

    @Test func aConsumerFollowsTheProducerByDeltasThroughS3() async throws {
        let moto = try await MotoServer.shared()
        let store = try await moto.newStore("cycles", prefix: "hollow/movies")
        let log = InMemoryAnnouncementLog()
        let producer = Producer(schema: Self.schema, blobStore: store, announcementLog: log,
                                configuration: .init(producerID: "s3", snapshotEvery: 3, snapshotsToKeep: 1), logger: quiet)
        let consumer = Consumer(blobStore: try moto.store(bucket: store.configuration.bucket, prefix: "hollow/movies"),
                                announcementLog: log, logger: quiet)
        var titles: [Int64: String] = [:]
        for version in 1...7 as ClosedRange<Int64> {
            for id in 1...(version * 20) { titles[id] = "Movie \(id) v\(version % 3 == 0 ? version : id)" }
            let outcome = try await producer.runCycle { try Self.populate($0, titles) }
            #expect(outcome.version == UInt64(version))
            let report = try await consumer.refresh()
            #expect(report.toVersion == UInt64(version))
            #expect(report.steps.map(\.kind) == (version == 1 ? [.snapshot] : [.delta]), "version \(version): \(report.path)")
            let movies = try #require(consumer.current?.readState.objectType("Movie"))
            #expect(movies.ordinals.count == titles.count)
        }
        // With one snapshot kept, the cleaner deleted every blob before the last snapshot.
        let stored = try await store.list()
        let history = log.currentHistory
        let lastSnapshot = try #require(history.announcements.last { $0.snapshot != nil }?.version)
        #expect(lastSnapshot > 1)
        let kept = Set(history.announcements.filter { $0.version >= lastSnapshot }
            .flatMap { [$0.snapshot, $0.delta, $0.reverseDelta].compactMap { $0?.name } })
        #expect(Set(stored) == kept, "\(stored)")

        // A consumer that starts now loads the last snapshot from S3.
        let late = Consumer(blobStore: store, announcementLog: log, logger: quiet)
        #expect(try await late.refresh().steps.map(\.kind) == [.snapshot])
    }
}
