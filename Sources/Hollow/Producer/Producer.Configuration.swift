import Foundation
import HollowCore
import Metrics

extension Producer {
    /// How often a producer writes snapshots, which validators it runs, how many blobs it keeps,
    /// and how it names itself.
    public struct Configuration: Sendable {
        /// Names this producer in announcements, logs and metrics.
        public var producerID: String
        /// Where the producer's metrics go (a `PrometheusMetricsFactory` of a service's registry,
        /// say); nil: the process's `MetricsSystem`.
        public var metricsFactory: (any MetricsFactory)? = nil
        /// Whether string and bytes fields are coded with symbol tables (by default, each field
        /// whose values shrink by a fifth or more, once it holds 64 KiB). Chosen at a type's first
        /// state and kept along the chain; see `StringCompression`.
        public var stringCompression: StringCompression = .default
        /// Whether a string or bytes field whose records repeat a few values stores each distinct
        /// value once, in a dictionary, with an entry of a few bits per record (by default, when
        /// that takes at most three quarters of the values stored one per record). Chosen at a
        /// type's first state and kept along the chain; see `StringDictionaries`.
        public var stringDictionaries: StringDictionaries = .default
        /// A snapshot every this many announced versions (deltas in between). The first version,
        /// and the first after a schema change the delta cannot carry, always have one.
        public var snapshotEvery: Int
        /// Checks run on each new state before it is announced.
        public var validators: [any Validator]
        /// The cleaner keeps the blobs of the last this many snapshots and of every version after
        /// the oldest of them (nil: never delete). Blobs of failed cycles are deleted too.
        public var snapshotsToKeep: Int?
        /// Tags added to every announcement (a cycle may add more).
        public var tags: [String: String]
        /// Longest delta chain followed when restoring the last announced state.
        public var maximumChainLength: Int
        /// Types fed by the sources that a cycle may empty (every record removed). Any other such
        /// type that had records and would have none fails the cycle (`EmptiedTypeValidator`).
        public var allowEmptyTypes: Set<String>
        /// Whether a first cycle may start a new dataset in a blob store that already holds blobs of
        /// versions after the first while the announcement log is empty or missing. Off, such a cycle is refused
        /// (`ProducerError.logLost`): a log that was lost or deleted must not restart the versions
        /// at 1 while the cleaner deletes the old dataset's blobs.
        public var startsNewDataset: Bool
        /// On Linux (glibc): the size from which malloc maps each allocation on its own, set for
        /// the whole process when the producer is made (at most 32 MiB; a refusal is logged);
        /// nil leaves malloc as it is, and so does a threshold set in the environment
        /// (`MALLOC_MMAP_THRESHOLD_`, or `mmap_threshold` in `GLIBC_TUNABLES`). glibc otherwise
        /// raises this threshold each time a large block is freed (up to 32 MiB), and a scheduled
        /// producer's resident memory then creeps by tens of MB a cycle in fragmented heaps
        /// (docs/PERFORMANCE.md, "A write state that keeps its records in their storage").
        public var mallocMmapThreshold: Int? = 1 << 20

        public init(producerID: String = Configuration.defaultProducerID, snapshotEvery: Int = 10,
                    validators: [any Validator] = [], snapshotsToKeep: Int? = 5, tags: [String: String] = [:],
                    maximumChainLength: Int = 32, allowEmptyTypes: Set<String> = [], startsNewDataset: Bool = false) {
            precondition(snapshotEvery >= 1, "snapshotEvery is at least 1")
            precondition(snapshotsToKeep.map { $0 >= 1 } ?? true, "snapshotsToKeep is at least 1")
            self.producerID = producerID
            self.snapshotEvery = snapshotEvery
            self.validators = validators
            self.snapshotsToKeep = snapshotsToKeep
            self.tags = tags
            self.maximumChainLength = maximumChainLength
            self.allowEmptyTypes = allowEmptyTypes
            self.startsNewDataset = startsNewDataset
        }

        /// host name and process id.
        public static var defaultProducerID: String {
            "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        }
    }
}
