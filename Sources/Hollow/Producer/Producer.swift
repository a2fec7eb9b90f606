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
public actor Producer {
    public nonisolated let configuration: Configuration
    private let store: any BlobStore
    private let log: any AnnouncementLog
    private let election: any LeaderElection
    private let logger: Logger
    private let metrics: ProducerMetrics
    private var schema: Schema

    private var writeState: WriteState?
    /// The last announced version as this producer knows it, with its read state.
    private var announced: (announcement: Announcement, state: ReadState)?
    private var versionsSinceSnapshot = 0
    private var keyIndexes: [String: PrimaryKeyIndex] = [:]
    /// Cycles and restores run one at a time: they share the write state across suspensions.
    private let turns = TurnLock()

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
        self.metrics = ProducerMetrics(producerID: configuration.producerID)
    }

    /// The last version this producer announced or restored, and its state.
    public var lastAnnounced: Announcement? { announced?.announcement }
    public var lastAnnouncedState: ReadState? { announced?.state }

    /// The schema of the next cycles. Fields and types may be added or removed (the delta carries
    /// them); other changes of an existing type are refused by the next cycle.
    public func setSchema(_ schema: Schema) { self.schema = schema }

    /// Runs a cycle that adds the whole dataset: records not added are removed from the new state.
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

    /// Waits until this producer leads (as a standby, for as long as another leads), then loads the
    /// last announced state, so that the first cycle as leader is a delta from it. Throws
    /// `.leaderElection(.cancelled)` when the task is cancelled.
    @discardableResult
    public func waitForLeadership() async throws(ProducerError) -> Leadership {
        let leadership: Leadership
        do { leadership = try await election.waitForLeadership() } catch { throw .leaderElection(error) }
        metrics.becameLeader(term: leadership.term)
        logger.notice("leading", metadata: ["term": "\(leadership.term)"])
        try await restore()
        return leadership
    }

    /// Gives up leadership (a standby takes over without waiting for the lease to run out): call
    /// it when a leading producer shuts down.
    public func resign() async {
        await election.resign()
    }

    /// Loads the last announced state when this producer does not hold it (first use, or another
    /// producer announced since). Cycles call it; call it early to fail fast. Returns that version.
    @discardableResult
    public func restore() async throws(ProducerError) -> UInt64? {
        await turns.acquire()
        do {
            try await catchUp(try await readHistory())
        } catch {
            await turns.release()
            throw error
        }
        await turns.release()
        return announced?.announcement.version
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
            logger.error("cycle failed, nothing announced", metadata: ["error": "\(error)"])
            await turns.release()
            throw error
        }
    }

    private func runStages(tags: [String: String], keepRecords: Bool,
                           _ populate: (WriteState, IncrementalCycle) async throws -> Void) async throws(ProducerError) -> CycleOutcome {
        let leadership = try await requireLeadership()
        let history = try await readHistory()
        try await catchUp(history)
        let writeState = self.writeState!

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
        do {
            try await populate(writeState, incremental)
        } catch {
            writeState.rollback()
            if let error = error as? ProducerError { throw error }
            throw .populateFailed(error)
        }
        keyIndexes = incremental.indexes

        logger.debug("cycle stage", metadata: ["stage": "writing-blobs", "term": "\(leadership.term)"])
        let blobs: CycleBlobs?
        do { blobs = try writeState.writeBlobs() } catch {
            writeState.rollback()
            throw .write(error)
        }
        guard let blobs else {
            writeState.rollback()
            logger.info("cycle unchanged", metadata: ["version": "\(announced?.announcement.version.description ?? "none")"])
            return .unchanged(version: announced?.announcement.version)
        }
        do {
            let announcement = try await announce(blobs, version: (history.latest?.version ?? 0) + 1,
                                                  leadership: leadership, tags: tags)
            writeState.commit()
            return .announced(announcement, changes: blobs.changes)
        } catch {
            writeState.rollback()
            throw error
        }
    }

    /// Stores the blobs, checks the new state, and announces it; on success the new state is the
    /// announced one. On failure the blobs are deleted again unless the announcement may have
    /// been written (the cleaner deletes them later if it was not).
    private func announce(_ blobs: CycleBlobs, version: UInt64, leadership: Leadership,
                          tags: [String: String]) async throws(ProducerError) -> Announcement {
        let previous = announced
        let withSnapshot = previous == nil || blobs.delta == nil || versionsSinceSnapshot + 1 >= configuration.snapshotEvery
        var written: [BlobName] = []
        do throws(ProducerError) {
            var snapshot: BlobReference?
            var delta: BlobReference?
            var reverseDelta: BlobReference?
            if withSnapshot {
                snapshot = try await put(BlobNaming.snapshot(version: version, stateID: blobs.stateID), blobs.snapshot)
                written.append(snapshot!.name)
            }
            if let bytes = blobs.delta, previous != nil {
                delta = try await put(BlobNaming.delta(version: version, stateID: blobs.stateID), bytes)
                written.append(delta!.name)
            }
            if let bytes = blobs.reverseDelta, previous != nil {
                reverseDelta = try await put(BlobNaming.reverseDelta(version: version, stateID: blobs.stateID), bytes)
                written.append(reverseDelta!.name)
            }

            // Read the blobs back as a consumer will: the state validators see, and the next
            // cycle's announced state.
            let state: ReadState
            do {
                if let previous, let bytes = blobs.delta {
                    state = try previous.state.applying(delta: bytes)
                } else {
                    state = try ReadState(snapshot: blobs.snapshot)
                }
            } catch { throw .integrityCheckFailed(error) }
            guard state.stateID == blobs.stateID else {
                throw .integrityCheckFailed(.corrupt("the blobs read back as state \(String(state.stateID, radix: 16)), written as \(String(blobs.stateID, radix: 16))"))
            }

            let context = ValidationContext(version: version, state: state, previousVersion: previous?.announcement.version,
                                            previousState: previous?.state, changes: blobs.changes)
            for validator in configuration.validators {
                if case .failed(let message) = validator.validate(context) {
                    throw ProducerError.validationFailed(validator: validator.name, message: message)
                }
            }

            // Leadership may have been lost while the blobs were written.
            logger.debug("cycle stage", metadata: ["stage": "announcing", "term": "\(leadership.term)"])
            let now = try await currentLeadership()
            guard now == leadership else { throw ProducerError.leadershipLost(term: leadership.term, currentTerm: now?.term) }
            let announcement = Announcement(
                version: version, previousVersion: delta == nil ? nil : previous?.announcement.version,
                stateID: blobs.stateID, previousStateID: delta == nil ? nil : previous?.announcement.stateID,
                snapshot: snapshot, delta: delta, reverseDelta: reverseDelta, term: leadership.term,
                producerID: configuration.producerID,
                timestampMilliseconds: Int64(Date().timeIntervalSince1970 * 1000),
                tags: configuration.tags.merging(tags) { $1 })
            do { try await log.append(announcement) } catch {
                switch error {
                case .fenced(_, let current):
                    metrics.fenced()
                    logger.warning("the log fenced the announcement: deposed", metadata: ["term": "\(leadership.term)"])
                    // The election may not know yet: make it drop this term now, so that the next
                    // waitForLeadership() campaigns instead of answering with the lost term.
                    await election.resign()
                    throw ProducerError.leadershipLost(term: leadership.term, currentTerm: current)
                case .versionNotIncreasing:
                    throw ProducerError.announcementLog(error)
                default:
                    written = []  // the append may have landed: leave the blobs to the cleaner
                    throw ProducerError.announcementLog(error)
                }
            }

            announced = (announcement, state)
            versionsSinceSnapshot = withSnapshot ? 0 : versionsSinceSnapshot + 1
            metrics.announced(version)
            logger.info("announced", metadata: [
                "version": "\(version)", "snapshot": "\(withSnapshot)",
                "bytes": "\([snapshot, delta, reverseDelta].reduce(0) { $0 + ($1?.size ?? 0) })",
            ])
            await clean()
            return announcement
        } catch {
            for name in written { try? await store.delete(name) }
            throw error
        }
    }

    private func put(_ name: BlobName, _ bytes: [UInt8]) async throws(ProducerError) -> BlobReference {
        do { try await store.put(name, bytes) } catch { throw .blobStore(error) }
        metrics.blobWritten(bytes.count)
        return BlobDigest.reference(name, bytes)
    }

    /// Makes the write state continue from the last announced version of `history`.
    private func catchUp(_ history: AnnouncementHistory) async throws(ProducerError) {
        guard let latest = history.latest else {
            if writeState == nil || announced != nil {
                writeState = WriteState(schema: schema)
                announced = nil
                versionsSinceSnapshot = 0
            }
            return
        }
        if let announced, announced.announcement.version == latest.version, announced.announcement.stateID == latest.stateID,
           writeState != nil {
            return
        }
        let updater = StateUpdater(store: store, planner: UpdatePlanner(maximumChainLength: configuration.maximumChainLength))
        let outcome: StateUpdater.Outcome
        do {
            outcome = try await updater.update(from: announced.map { ($0.announcement.version, $0.state) },
                                               to: latest.version, history: history)
        } catch {
            throw .restoreFailed(error)
        }
        writeState = WriteState(restoring: outcome.state)
        announced = (latest, outcome.state)
        keyIndexes = [:]
        let lastSnapshot = history.announcements.lastIndex { $0.snapshot != nil } ?? 0
        versionsSinceSnapshot = history.announcements.count - 1 - lastSnapshot
        logger.info("restored the last announced state", metadata: [
            "version": "\(latest.version)", "path": "\(outcome.steps.count) steps", "bytes": "\(outcome.bytesFetched)",
        ])
    }

    private func clean() async {
        guard let keep = configuration.snapshotsToKeep else { return }
        do {
            let history = try await log.history()
            let stored = try await store.list()
            for name in BlobCleaner(snapshotsToKeep: keep).blobsToDelete(stored: stored, history: history) {
                try await store.delete(name)
                logger.debug("deleted blob", metadata: ["blob": "\(name)"])
            }
        } catch {
            // Cleaning is housekeeping: the next cycle tries again.
            logger.warning("cleaning the blob store failed", metadata: ["error": "\(error)"])
        }
    }

    private func readHistory() async throws(ProducerError) -> AnnouncementHistory {
        do { return try await log.history() } catch { throw .announcementLog(error) }
    }

    private func currentLeadership() async throws(ProducerError) -> Leadership? {
        do { return try await election.currentLeadership() } catch { throw .leaderElection(error) }
    }

    private func requireLeadership() async throws(ProducerError) -> Leadership {
        guard let leadership = try await currentLeadership() else { throw .notLeader }
        return leadership
    }
}
