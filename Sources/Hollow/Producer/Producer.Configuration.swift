import Foundation

extension Producer {
    public struct Configuration: Sendable {
        /// Names this producer in announcements, logs and metrics.
        public var producerID: String
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

        public init(producerID: String = Configuration.defaultProducerID, snapshotEvery: Int = 10,
                    validators: [any Validator] = [], snapshotsToKeep: Int? = 5, tags: [String: String] = [:],
                    maximumChainLength: Int = 32) {
            precondition(snapshotEvery >= 1, "snapshotEvery is at least 1")
            precondition(snapshotsToKeep.map { $0 >= 1 } ?? true, "snapshotsToKeep is at least 1")
            self.producerID = producerID
            self.snapshotEvery = snapshotEvery
            self.validators = validators
            self.snapshotsToKeep = snapshotsToKeep
            self.tags = tags
            self.maximumChainLength = maximumChainLength
        }

        /// host name and process id.
        public static var defaultProducerID: String {
            "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        }
    }
}
