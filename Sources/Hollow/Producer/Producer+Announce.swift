import Foundation
import HollowCore
import Logging

// The end of a cycle: blobs stored, the state read back and validated, the announcement appended,
// old blobs cleaned.
extension Producer {
    /// Stores the blobs, checks the new state, and announces it; on success the new state is the
    /// announced one. On failure the blobs are deleted again unless the announcement may have
    /// been written (the cleaner deletes them later if it was not).
    func announce(_ blobs: CycleBlobs, version: UInt64, leadership: Leadership,
                  tags: [String: String], sourcesReadAt: Int64, stages: inout CycleStages,
                  storingSince: ContinuousClock.Instant) async throws(ProducerError) -> Announcement {
        let previous = announced
        // From the end of the last stage: the version minted (a listing of the store on a first
        // cycle) counts as storing.
        var stageStarted = storingSince
        func stageTime() -> Duration {
            let now = ContinuousClock.now
            defer { stageStarted = now }
            return now - stageStarted
        }
        let withSnapshot = previous == nil || blobs.delta == nil || versionsSinceSnapshot + 1 >= configuration.snapshotEvery
        if withSnapshot {
            // Written when first asked for (a cycle that stores only its delta skips it): it counts
            // as writing.
            _ = blobs.snapshot
            stages.writingBlobs += stageTime()
        }
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

            stages.storingBlobs = stageTime()

            // Read the blobs back as a consumer will: the state validators see, and the next
            // cycle's announced state. It shares the write state's storage (one copy, not two).
            let state: ReadState
            do { state = try blobs.readBack(onto: previous?.state) } catch { throw .integrityCheckFailed(error) }
            guard state.stateID == blobs.stateID else {
                throw .integrityCheckFailed(.corrupt("the blobs read back as state \(String(state.stateID, radix: 16)), written as \(String(blobs.stateID, radix: 16))"))
            }

            let context = ValidationContext(version: version, state: state, previousVersion: previous?.announcement.version,
                                            previousState: previous?.state, changes: blobs.changes)
            for validator in [EmptiedTypeValidator(allowing: configuration.allowEmptyTypes)] + configuration.validators {
                if case .failed(let message) = validator.validate(context) {
                    throw ProducerError.validationFailed(validator: validator.name, message: message)
                }
            }

            stages.readingBack = stageTime()

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
                tags: configuration.tags.merging(tags) { $1 }, sourcesReadAtMilliseconds: sourcesReadAt)
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

            stages.announcing = stageTime()
            announced = (announcement, state)
            highestUsedVersion = Swift.max(highestUsedVersion ?? 0, version)
            versionsSinceSnapshot = withSnapshot ? 0 : versionsSinceSnapshot + 1
            metrics.announced(version)
            // Said as soon as it is announced (cleaning may wait on a slow store), with the stages so far.
            var metadata: Logger.Metadata = [
                "version": "\(version)", "snapshot": "\(withSnapshot)",
                "bytes": "\([snapshot, delta, reverseDelta].reduce(0) { $0 + ($1?.size ?? 0) })",
            ]
            for (name, duration) in stages.named.dropLast() { metadata[name + "-ms"] = "\(duration.milliseconds)" }
            logger.info("announced", metadata: metadata)
            await clean()
            stages.cleaning = stageTime()
            metrics.recordStages(stages)
            return announcement
        } catch {
            for name in written { try? await store.delete(name) }
            throw error
        }
    }

    func put(_ name: BlobName, _ bytes: [UInt8]) async throws(ProducerError) -> BlobReference {
        do { try await store.put(name, bytes) } catch { throw .blobStore(error) }
        metrics.blobWritten(bytes.count)
        return BlobDigest.reference(name, bytes)
    }

    func clean() async {
        guard let keep = configuration.snapshotsToKeep else { return }
        do {
            let history = try await log.history()
            let stored = try await store.list()
            let cleaner = BlobCleaner(snapshotsToKeep: keep)
            for name in cleaner.blobsToDelete(stored: stored, history: history) {
                try await store.delete(name)
                logger.debug("deleted blob", metadata: ["blob": "\(name)"])
            }
            // The announcements of versions whose blobs are gone go too, in batches: the log, and
            // every reader's copy of it, stay bounded.
            let oldestKept = cleaner.oldestKeptVersion(history)
            if cleaner.shouldTrimLog(history, oldestKept: oldestKept) {
                try await log.discardAnnouncements(before: oldestKept)
                logger.debug("trimmed the announcement log", metadata: ["before": "\(oldestKept)"])
            }
        } catch {
            // Cleaning is housekeeping: the next cycle tries again.
            logger.warning("cleaning the blob store failed", metadata: ["error": "\(error)"])
        }
    }
}
