import HollowCore

/// Carries out update plans against a blob store: fetches each blob, checks its size and SHA-256
/// against the announcement, applies it, and plans again around a blob that fails. Shared by the
/// consumer (refresh) and the producer (restoring the last announced state).
struct StateUpdater: Sendable {
    let store: any BlobStore
    let planner: UpdatePlanner
    /// How snapshots are split in shards (`ReadState.unsharded` for a producer's restore).
    var shardBits = ReadState.defaultShardBits

    /// What an update did.
    struct Outcome: Sendable {
        var state: ReadState
        var version: UInt64
        /// The steps applied, in order (across replans).
        var steps: [UpdateStep] = []
        var bytesFetched = 0
        /// The blobs that failed and were planned around, with why.
        var failures: [RefreshError] = []
    }

    /// Brings `current` to `wanted`. `afterStep` runs after each applied step with the new state
    /// (the consumer follows its indexes there). When no way is left, throws the first blob failure
    /// (the one that broke the preferred path), or `.noUpdatePath`.
    func update(from current: (version: UInt64, state: ReadState)?, to wanted: UInt64, history: AnnouncementHistory,
                afterStep: (UpdateStep, ReadState) throws(RefreshError) -> Void = { _, _ in },
                fetched: (UpdateStep, [UInt8]) -> Void = { _, _ in }) async throws(RefreshError) -> Outcome {
        guard history.announcement(of: wanted) != nil else { throw .versionNotAnnounced(wanted) }
        var position = current
        var steps: [UpdateStep] = []
        var bytesFetched = 0
        var bad: Set<BlobName> = []
        var failures: [RefreshError] = []
        while position?.version != wanted {
            guard let plan = planner.plan(history: history, from: position?.version, to: wanted, excluding: bad) else {
                // A failure that may pass (a store out of reach) before one that will not: the
                // caller retries it rather than giving the chain up.
                throw failures.first { !$0.isPermanent } ?? failures.first ?? .noUpdatePath(from: position?.version, to: wanted)
            }
            do throws(RefreshError) {
                for step in plan.steps {
                    let bytes = try await fetch(step.blob)
                    bytesFetched += bytes.count
                    fetched(step, bytes)
                    let next = try Self.apply(step, bytes, to: position?.state, shardBits: shardBits)
                    try afterStep(step, next)
                    position = (step.toVersion, next)
                    steps.append(step)
                }
            } catch {
                // A blob that failed is never planned again, so every replan makes progress.
                guard let name = error.blob, bad.insert(name).inserted else { throw error }
                failures.append(error)
            }
        }
        return Outcome(state: position!.state, version: wanted, steps: steps, bytesFetched: bytesFetched, failures: failures)
    }

    /// The blob's bytes, checked against its announcement.
    func fetch(_ blob: BlobReference) async throws(RefreshError) -> [UInt8] {
        let bytes: [UInt8]
        do { bytes = try await store.get(blob.name, expectedSize: blob.size) } catch {
            if case .sizeMismatch(_, let expected, let found) = error {
                throw .blobMismatch(blob.name, expected: "\(expected) bytes", found: "\(found) bytes")
            }
            throw .blobUnavailable(blob.name, error)
        }
        guard bytes.count == blob.size else {
            throw .blobMismatch(blob.name, expected: "\(blob.size) bytes", found: "\(bytes.count) bytes")
        }
        let digest = BlobDigest.sha256Hex(bytes)
        guard digest == blob.sha256 else {
            throw .blobMismatch(blob.name, expected: "SHA-256 \(blob.sha256)", found: "SHA-256 \(digest)")
        }
        return bytes
    }

    static func apply(_ step: UpdateStep, _ bytes: [UInt8], to state: ReadState?,
                      shardBits: Int = ReadState.defaultShardBits) throws(RefreshError) -> ReadState {
        let next: ReadState
        if step.kind == .snapshot {
            do { next = try ReadState(snapshot: bytes, shardBits: shardBits) } catch { throw .blobRefused(step.blob.name, error) }
        } else {
            guard let state else { throw .noUpdatePath(from: nil, to: step.toVersion) }
            do { next = try state.applying(delta: bytes) } catch { throw .blobRefused(step.blob.name, error) }
        }
        guard next.stateID == step.toStateID else {
            throw .unexpectedState(step.blob.name, expected: step.toStateID, found: next.stateID)
        }
        return next
    }
}
