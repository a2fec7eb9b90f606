import Foundation
import HollowCore
import Logging
import Metrics

/// Runs cycles: each turns the whole dataset (or its changes) into a new state, stores its
/// snapshot, delta and reverse delta, checks it, and announces it.
///
///     let producer = Producer(schema: schema, blobStore: store, announcementLog: log)
///     let outcome = try await producer.runCycle { state in
///         for movie in movies { try state.add(movie.record) }
///     }
///
/// A producer starting on a store that already holds announcements first loads the last announced
/// state, so that its first cycle is a delta from it. So does a producer that finds a version it did
/// not announce (a leader that took over): the chain of versions stays unbroken.
///
/// <doc:ProducersAndConsumers> walks through a cycle and what the producer does when something
/// fails; <doc:LeaderAndStandbys> through running several producers with a ``LeaderElection``.
public actor Producer {
    public nonisolated let configuration: Configuration
    let store: any BlobStore
    let log: any AnnouncementLog
    let election: any LeaderElection
    let logger: Logger
    let metrics: ProducerMetrics
    var schema: Schema

    var writeState: WriteState?
    /// The last announced version as this producer knows it, with its read state.
    var announced: (announcement: Announcement, state: ReadState)?
    var versionsSinceSnapshot = 0
    /// The last announced version when its state could not be rebuilt from the store: this
    /// producer started afresh after it rather than trying again every cycle.
    var unrestorable: (version: UInt64, stateID: UInt64)?
    var keyIndexes: [String: PrimaryKeyIndex] = [:]
    /// The highest version this producer knows to be used: announced by it, or named by a blob in
    /// the store when it started (nil until the store was listed). A log repaired back to an
    /// earlier version must not see a version number given twice.
    var highestUsedVersion: UInt64?
    /// Cycles and restores run one at a time: they share the write state across suspensions.
    let turns = TurnLock()

    /// A producer of datasets of `schema` (``setSchema(_:)`` changes it), storing blobs in `blobStore`
    /// and announcing versions in `announcementLog`. Without `leaderElection` it is the only producer
    /// (``SoleProducer``).
    public init(schema: Schema, blobStore: any BlobStore, announcementLog: any AnnouncementLog,
                leaderElection: any LeaderElection = SoleProducer(), configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "hollow.producer")) {
        self.schema = schema
        self.store = blobStore
        self.log = announcementLog
        self.election = leaderElection
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "producer"] = "\(configuration.producerID)"
        self.logger = logger
        self.metrics = ProducerMetrics(producerID: configuration.producerID, factory: configuration.metricsFactory)
        // A threshold the process's environment sets for glibc is the operator's: kept.
        let environment = ProcessInfo.processInfo.environment
        let setByEnvironment = environment["MALLOC_MMAP_THRESHOLD_"] != nil
            || (environment["GLIBC_TUNABLES"]?.contains("mmap_threshold") ?? false)
        if let threshold = configuration.mallocMmapThreshold, !setByEnvironment,
           FreedMemory.fixMmapThreshold(bytes: threshold) == false {
            self.logger.warning("malloc refused the mmap threshold", metadata: ["bytes": "\(threshold)"])
        }
    }

    /// How long each stage of the last cycle took: nil before the first cycle, while one runs, and
    /// after one that failed.
    public private(set) var lastCycleStages: CycleStages?

    /// The last version this producer announced or restored, and its state.
    public var lastAnnounced: Announcement? { announced?.announcement }
    public var lastAnnouncedState: ReadState? { announced?.state }

    /// The schema of the next cycles. Fields and types may be added or removed (the delta carries
    /// them); other changes of an existing type are refused by the next cycle.
    public func setSchema(_ schema: Schema) { self.schema = schema }

    /// Runs a cycle that adds the whole dataset: records not added are removed from the new state.
    /// Read the sources inside `populate`: the announcement says when it began
    /// (`sourcesReadAtMilliseconds`), and services waiting for their writes rely on it.
    /// Returns the announced version, or `.unchanged` when the dataset is the same as the last
    /// announced one (nothing is written). On any error nothing is announced and the producer
    /// stays on the last announced state.
    @discardableResult
    public func runCycle(tags: [String: String] = [:],
                         _ populate: (WriteState) async throws -> Void) async throws(ProducerError) -> CycleOutcome {
        try await cycle(tags: tags, keepRecords: false) { writeState, _ in try await populate(writeState) }
    }

    /// Runs a cycle that starts from the records of the last announced state and applies the
    /// changes given through `IncrementalCycle` (upsert and delete by primary key).
    @discardableResult
    public func runIncrementalCycle(tags: [String: String] = [:],
                                    _ changes: (IncrementalCycle) async throws -> Void) async throws(ProducerError) -> CycleOutcome {
        try await cycle(tags: tags, keepRecords: true) { _, incremental in try await changes(incremental) }
    }

    private func cycle(tags: [String: String], keepRecords: Bool,
                       _ populate: (WriteState, IncrementalCycle) async throws -> Void) async throws(ProducerError) -> CycleOutcome {
        await turns.acquire()
        let started = ContinuousClock.now
        do {
            let outcome = try await runStages(tags: tags, keepRecords: keepRecords, populate)
            metrics.recordCycle(outcome, duration: ContinuousClock.now - started)
            await turns.release()
            return outcome
        } catch {
            metrics.cycleFailed()
            logger.error("cycle failed", metadata: ["error": "\(error)"])
            await turns.release()
            throw error
        }
    }

    private func runStages(tags: [String: String], keepRecords: Bool,
                           _ populate: (WriteState, IncrementalCycle) async throws -> Void) async throws(ProducerError) -> CycleOutcome {
        lastCycleStages = nil
        var stages = CycleStages()
        var stageStarted = ContinuousClock.now
        /// The time since the last stage ended.
        func stageTime() -> Duration {
            let now = ContinuousClock.now
            defer { stageStarted = now }
            return now - stageStarted
        }
        let leadership = try await requireLeadership()
        let history = try await readHistory()
        try checkNoOtherProducer(history, leadership: leadership)
        try await catchUp(history)
        let writeState = self.writeState!

        if keepRecords, announced == nil, let latest = history.latest {
            // Started afresh after an unrestorable state: there are no records to keep, and the
            // changes alone would replace the whole dataset.
            throw .incremental("version \(latest.version) could not be restored, so there are no records to change: run a full cycle (runCycle) first")
        }
        if keepRecords, let announced, announced.state.schema != schema {
            // Changed types start empty in the new state: the records an incremental cycle keeps
            // would be lost and their ordinals would name other records.
            throw .incremental("the schema changed since version \(announced.announcement.version): run a full cycle (runCycle) first")
        }
        do { try writeState.beginCycle(schema: schema) } catch { throw .write(error) }
        if keepRecords { writeState.keepCommittedRecords() }
        // Key indexes of the last incremental cycle follow the announced state by its delta.
        if let state = announced?.state { keyIndexes = keyIndexes.compactMapValues { try? $0.updated(to: state) } }
        let incremental = IncrementalCycle(writeState: writeState, announcedState: announced?.state, keyIndexes: keyIndexes)
        logger.debug("cycle stage", metadata: ["stage": "populating", "term": "\(leadership.term)"])
        stages.preparing = stageTime()
        // Every change made to the sources before now is read by this cycle (read-after-write).
        let sourcesReadAt = Int64(Date().timeIntervalSince1970 * 1000)
        do {
            try await populate(writeState, incremental)
        } catch {
            writeState.rollback()
            if let error = error as? ProducerError { throw error }
            throw .populateFailed(error)
        }
        keyIndexes = incremental.indexes
        stages.populating = stageTime()

        logger.debug("cycle stage", metadata: ["stage": "writing-blobs", "term": "\(leadership.term)"])
        let blobs: CycleBlobs?
        do { blobs = try writeState.writeBlobs() } catch {
            writeState.rollback()
            throw .write(error)
        }
        stages.writingBlobs = stageTime()
        guard let blobs else {
            lastCycleStages = stages
            writeState.rollback()
            logger.info("cycle unchanged", metadata: ["version": "\(announced?.announcement.version.description ?? "none")"])
            return .unchanged(version: announced?.announcement.version)
        }
        do {
            let version = Swift.max(history.latest?.version ?? 0, try await highestVersionInUse()) + 1
            let announcement = try await announce(blobs, version: version, leadership: leadership, tags: tags,
                                                  sourcesReadAt: sourcesReadAt, stages: &stages, storingSince: stageStarted)
            lastCycleStages = stages
            writeState.commit()
            return .announced(announcement, changes: blobs.changes)
        } catch {
            writeState.rollback()
            throw error
        }
    }

    /// Versions are minted above the log's last and above every version this producer has seen
    /// used: its own announcements, and the blobs in the store when it started (a version whose
    /// announcement was set aside by a log repair still has blobs, and consumers may have seen it).
    private func highestVersionInUse() async throws(ProducerError) -> UInt64 {
        if let highestUsedVersion { return highestUsedVersion }
        let stored: [BlobName]
        do { stored = try await store.list() } catch { throw .blobStore(error) }
        let highest = stored.compactMap(BlobNaming.version(of:)).max() ?? 0
        highestUsedVersion = highest
        return highest
    }

    /// Without an election every producer has term 0, and nothing keeps two of them apart: after
    /// this producer announced, a later version by another one means two datasets in one log.
    private func checkNoOtherProducer(_ history: AnnouncementHistory, leadership: Leadership) throws(ProducerError) {
        guard leadership.term == 0, let mine = announced?.announcement, let latest = history.latest,
              latest.version > mine.version, latest.producerID != configuration.producerID else { return }
        throw .anotherProducerAnnounced(version: latest.version, producerID: latest.producerID)
    }
}
