import HollowCore
import Logging

// Continuing the chain: a producer that does not hold the last announced state loads it first.
extension Producer {
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

    /// Makes the write state continue from the last announced version of `history`.
    ///
    /// When that version cannot be rebuilt from the store at all (its blobs are missing, damaged
    /// or refused, not merely out of reach), failing every cycle would stop production for good:
    /// the producer says so and starts afresh instead, so that its next cycle announces a snapshot
    /// of its sources as the next version, which consumers load by the snapshot path.
    func catchUp(_ history: AnnouncementHistory) async throws(ProducerError) {
        guard let latest = history.latest else {
            if !configuration.startsNewDataset { try await refuseOldBlobs() }
            if writeState == nil || announced != nil {
                writeState = WriteState(schema: schema, stringCompression: configuration.stringCompression, stringDictionaries: configuration.stringDictionaries)
                announced = nil
                versionsSinceSnapshot = 0
            }
            return
        }
        if let announced, announced.announcement.version == latest.version, announced.announcement.stateID == latest.stateID,
           writeState != nil {
            return
        }
        if let unrestorable, unrestorable.version == latest.version, unrestorable.stateID == latest.stateID, writeState != nil {
            return  // already started afresh after it
        }
        // The write state reads each type of the state restored as one storage.
        var updater = StateUpdater(store: store, planner: UpdatePlanner(maximumChainLength: configuration.maximumChainLength))
        updater.shardBits = ReadState.unsharded
        let outcome: StateUpdater.Outcome
        do {
            outcome = try await updater.update(from: announced.map { ($0.announcement.version, $0.state) },
                                               to: latest.version, history: history)
        } catch {
            // An empty store (an unmounted directory, say) loses every blob at once: not a verdict.
            guard error.isPermanent, let stored = try? await store.list(), !stored.isEmpty else { throw .restoreFailed(error) }
            logger.error("the last announced state cannot be restored: the next cycle announces a fresh snapshot of the sources", metadata: [
                "version": "\(latest.version)", "error": "\(error)",
                "next": "\(latest.version + 1), a snapshot that consumers load by the snapshot path",
            ])
            metrics.restoreAbandoned()
            writeState = WriteState(schema: schema, stringCompression: configuration.stringCompression, stringDictionaries: configuration.stringDictionaries)
            announced = nil
            unrestorable = (latest.version, latest.stateID)
            versionsSinceSnapshot = 0
            keyIndexes = [:]
            return
        }
        unrestorable = nil
        writeState = WriteState(restoring: outcome.state, stringCompression: configuration.stringCompression,
                                stringDictionaries: configuration.stringDictionaries)
        announced = (latest, outcome.state)
        keyIndexes = [:]
        let lastSnapshot = history.announcements.lastIndex { $0.snapshot != nil } ?? 0
        versionsSinceSnapshot = history.announcements.count - 1 - lastSnapshot
        logger.info("restored the last announced state", metadata: [
            "version": "\(latest.version)", "path": "\(outcome.steps.count) steps", "bytes": "\(outcome.bytesFetched)",
        ])
    }

    func readHistory() async throws(ProducerError) -> AnnouncementHistory {
        do { return try await log.history() } catch { throw .announcementLog(error) }
    }

    /// With nothing announced, a store holding blobs of versions after the first means a lost log.
    /// Blobs of version 1 alone are what a first cycle leaves when it dies before its append (a
    /// killed leader, a failed append): the next producer's version 1 replaces them.
    private func refuseOldBlobs() async throws(ProducerError) {
        let stored: [BlobName]
        do { stored = try await store.list() } catch { throw .blobStore(error) }
        let dataset = stored.filter { (BlobNaming.version(of: $0) ?? 0) >= 2 }
        if let example = dataset.first { throw .logLost(blobsInStore: dataset.count, example: example) }
    }
}
