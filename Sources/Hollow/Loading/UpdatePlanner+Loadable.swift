// Which versions a consumer could still load: the cleaner deletes old blobs, a store can lose some,
// and pinning a version that cannot be rebuilt would leave every consumer on its old state.
extension UpdatePlanner {
    /// The announced versions that a consumer starting from nothing can reach with the blobs in
    /// `storedBlobs` (a snapshot and the deltas, or reverse deltas, from it).
    public func loadableVersions(history: AnnouncementHistory, storedBlobs: Set<BlobName>) -> Set<UInt64> {
        let referenced = history.announcements.flatMap { [$0.snapshot, $0.delta, $0.reverseDelta].compactMap { $0?.name } }
        let missing = Set(referenced).subtracting(storedBlobs)
        return Set(history.announcements.map(\.version).filter { plan(history: history, from: nil, to: $0, excluding: missing) != nil })
    }
}
