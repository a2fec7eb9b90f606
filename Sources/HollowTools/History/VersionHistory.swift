import Hollow

/// The announced versions as a history view shows them: oldest first, each with its blobs, term,
/// producer and tags, and which one consumers are pinned to.
///
///     let history = VersionHistory(try await log.history(), last: 20)
///
/// Pure: an `AnnouncementHistory` (from any `AnnouncementLog`) in, values out.
public struct VersionHistory: Sendable, Hashable {
    /// The versions, oldest first.
    public var entries: [Entry]
    /// The version consumers are pinned to (nil: they follow the latest).
    public var pinnedVersion: UInt64?
    /// The last announced version (nil: nothing announced yet), also when `last` leaves it out of
    /// the entries.
    public var latestVersion: UInt64?

    /// The entries of `history`, only the last `limit` of them when given (none for a limit of 0
    /// or below). `loadableVersions` (from `UpdatePlanner.loadableVersions(history:storedBlobs:)`)
    /// says which versions can still be loaded; nil when the store was not looked at.
    public init(_ history: AnnouncementHistory, last limit: Int? = nil, loadableVersions: Set<UInt64>? = nil) {
        var announcements = history.announcements
        if let limit { announcements = Array(announcements.suffix(max(limit, 0))) }
        entries = announcements.map { announcement in
            Entry(announcement: announcement, isPinned: announcement.version == history.pinnedVersion,
                  isLoadable: loadableVersions.map { $0.contains(announcement.version) })
        }
        pinnedVersion = history.pinnedVersion
        latestVersion = history.latest?.version
    }
}
