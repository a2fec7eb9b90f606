// Which versions a consumer could still load: the cleaner deletes old blobs, a store can lose some,
// and pinning a version that cannot be rebuilt would leave every consumer on its old state.
extension UpdatePlanner {
    /// The announced versions that a consumer starting from nothing can reach with the blobs in
    /// `storedBlobs` (a snapshot and the deltas, or reverse deltas, from it).
    /// Each version costs a plan (up to a walk of the history): list the versions shown, not all.
    public func loadableVersions(history: AnnouncementHistory, storedBlobs: Set<BlobName>,
                                 among versions: [UInt64]? = nil) -> Set<UInt64> {
        let missing = Self.missingBlobs(history, storedBlobs)
        let candidates = versions ?? history.announcements.map(\.version)
        return Set(candidates.filter { plan(history: history, from: nil, to: $0, excluding: missing) != nil })
    }

    /// Whether one version can still be loaded from `storedBlobs`.
    public func isLoadable(_ version: UInt64, history: AnnouncementHistory, storedBlobs: Set<BlobName>) -> Bool {
        plan(history: history, from: nil, to: version, excluding: Self.missingBlobs(history, storedBlobs)) != nil
    }

    private static func missingBlobs(_ history: AnnouncementHistory, _ storedBlobs: Set<BlobName>) -> Set<BlobName> {
        Set(history.announcements.flatMap { [$0.snapshot, $0.delta, $0.reverseDelta].compactMap { $0?.name } }).subtracting(storedBlobs)
    }
}
