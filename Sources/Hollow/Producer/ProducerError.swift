import HollowCore

/// Why a producer cycle announced nothing. After any of these the producer is back on the last
/// announced state: the next cycle is a delta from it.
public enum ProducerError: Error, Sendable, CustomStringConvertible {
    /// This producer does not lead (another does, or leadership was lost during the cycle).
    case notLeader
    /// Leadership of `term` was lost during the cycle: the election noticed, or the log fenced the
    /// announcement (`currentTerm` is the leader's now, nil when none is known). Nothing was
    /// announced; wait for leadership again (`Producer.waitForLeadership()`), as a standby.
    case leadershipLost(term: UInt64, currentTerm: UInt64?)
    case leaderElection(LeaderElectionError)
    /// The last announced state could not be loaded, so no delta from it can be written.
    case restoreFailed(RefreshError)
    /// The populate closure threw.
    case populateFailed(any Error)
    /// A record or the cycle was refused by the write state.
    case write(WriteError)
    case blobStore(BlobStoreError)
    case announcementLog(AnnouncementLogError)
    /// A validator refused the new state.
    case validationFailed(validator: String, message: String)
    /// The blobs just written could not be read back into a state.
    case integrityCheckFailed(BlobError)
    /// An incremental change that cannot be carried out.
    case incremental(String)
    /// A producer that runs without an election (term 0) found a version it did not announce
    /// after its own: another producer writes to the same log, and the two datasets would take
    /// turns. It announces nothing more until its producers are elected.
    case anotherProducerAnnounced(version: UInt64, producerID: String)
    /// The announcement log is empty (or missing) but the blob store holds the blobs of a dataset
    /// (of versions after the first): the log was lost or deleted. Starting at version 1 would let
    /// the cleaner delete them.
    case logLost(blobsInStore: Int, example: BlobName)

    public var description: String {
        switch self {
        case .logLost(let count, let example):
            "the announcement log is empty but the blob store holds \(count) blobs of a dataset (\(example), ...): was the log lost or deleted? "
                + "Restore it to continue that dataset, or start a new dataset on purpose (`hollow produce --new-dataset`, "
                + "Producer.Configuration.startsNewDataset), which lets the cleaner delete the old blobs"
        case .notLeader: "this producer is not the leader"
        case .leadershipLost(let term, let current):
            "leadership of term \(term) was lost during the cycle\(current.map { " (term \($0) leads now)" } ?? ""); nothing was announced"
        case .leaderElection(let error): error.description
        case .restoreFailed(let error): "restoring the last announced state: \(error)"
        case .populateFailed(let error): "populating the cycle: \(error)"
        case .write(let error): error.description
        case .blobStore(let error): error.description
        case .announcementLog(let error): error.description
        case .validationFailed(let validator, let message): "validator '\(validator)' failed: \(message)"
        case .integrityCheckFailed(let error): "the cycle's blobs do not read back: \(error)"
        case .incremental(let message): message
        case .anotherProducerAnnounced(let version, let producerID):
            "version \(version) was announced by producer '\(producerID)', not by this one: another producer writes to this store. "
                + "Run every producer of a store with a leader election (FileLeaderElection; `hollow produce --lease`) so that one leads and the others stand by"
        }
    }

    /// Whether another producer announced in this producer's log without an election: going on
    /// would make the two datasets take turns, so a scheduled producer should stop.
    public var isAnotherProducer: Bool {
        if case .anotherProducerAnnounced = self { true } else { false }
    }
}
