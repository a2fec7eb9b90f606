import Hollow
import HollowCore
import Logging

/// Producers, consumers, a store and a log in memory, with a `ControlledElection` that fences the
/// log: a failover of a service's data source, in milliseconds and without etcd.
///
///     let deployment = InMemoryDeployment()
///     let a = deployment.makeProducer("a", schema: schema)
///     let b = deployment.makeProducer("b", schema: schema)
///     try await a.waitForLeadership()
///     try await a.runCycle { state in ... }
///     deployment.election.pause("a")      // a is frozen mid-flight, still believing it leads
///     deployment.election.expire()        // its lease runs out
///     try await b.waitForLeadership()     // b takes over from a's last state
///
/// See docs/TESTING.md for a whole test.
public final class InMemoryDeployment: Sendable {
    public let blobStore: InMemoryBlobStore
    public let election: ControlledElection
    /// Fenced by `election`.
    public let announcementLog: InMemoryAnnouncementLog

    public init() {
        blobStore = InMemoryBlobStore()
        election = ControlledElection()
        announcementLog = InMemoryAnnouncementLog(fencedBy: election)
    }

    /// A producer named `id` that campaigns in `election` as participant `id`.
    public func makeProducer(_ id: String, schema: Schema, configuration: Producer.Configuration = Producer.Configuration(),
                             logger: Logger = Logger(label: "hollow.producer")) -> Producer {
        var configuration = configuration
        configuration.producerID = id
        return Producer(schema: schema, blobStore: blobStore, announcementLog: announcementLog,
                        leaderElection: election.participant(id), configuration: configuration, logger: logger)
    }

    public func makeConsumer(configuration: Consumer.Configuration = Consumer.Configuration(),
                             logger: Logger = Logger(label: "hollow.consumer")) -> Consumer {
        Consumer(blobStore: blobStore, announcementLog: announcementLog, configuration: configuration, logger: logger)
    }

    /// The last announced version (nil before the first).
    public var latestVersion: UInt64? { announcementLog.currentHistory.latest?.version }
}
