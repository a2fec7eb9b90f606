/// Decides which blobs a store no longer needs: those of versions before the oldest snapshot kept
/// (unless a pin needs them), and those of cycles that were never announced. Versions above the
/// last announced one are left alone: another producer may be writing them now.
struct BlobCleaner: Sendable {
    let snapshotsToKeep: Int

    /// The oldest version whose blobs are kept: the oldest of the last `snapshotsToKeep` snapshots,
    /// or the last snapshot at or before a pinned version (0: everything is kept).
    func oldestKeptVersion(_ history: AnnouncementHistory) -> UInt64 {
        let snapshots = history.announcements.filter { $0.snapshot != nil }.map(\.version)
        var oldestKept = snapshots.count > snapshotsToKeep ? snapshots[snapshots.count - snapshotsToKeep] : 0
        if let pinned = history.pinnedVersion {
            // The pinned version must stay reachable: keep from the last snapshot at or before it.
            oldestKept = min(oldestKept, snapshots.last { $0 <= pinned } ?? 0)
        }
        return oldestKept
    }

    /// Whether the log should drop the announcements below `oldestKept` now: once they are as many
    /// as those kept (and a few), so that the log stays within twice what it keeps and each
    /// rewrite is paid for by as many appends.
    func shouldTrimLog(_ history: AnnouncementHistory, oldestKept: UInt64) -> Bool {
        let dropped = history.announcements.prefix { $0.version < oldestKept }.count
        return dropped >= Swift.max(16, history.announcements.count - dropped)
    }

    func blobsToDelete(stored: [BlobName], history: AnnouncementHistory) -> [BlobName] {
        guard let latest = history.latest?.version else { return [] }
        let oldestKept = oldestKeptVersion(history)
        var referenced: Set<BlobName> = []
        for announcement in history.announcements where announcement.version >= oldestKept {
            for blob in [announcement.snapshot, announcement.delta, announcement.reverseDelta] {
                if let blob { referenced.insert(blob.name) }
            }
        }
        return stored.filter { name in
            guard let version = BlobNaming.version(of: name), version <= latest else { return false }
            return !referenced.contains(name)
        }
    }
}
