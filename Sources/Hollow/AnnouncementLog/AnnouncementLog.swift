

/// The history of announced versions, appended to and trimmed at its old end, plus a pin. Small on
/// purpose, so that an etcd or database implementation is a file of its own.
///
/// ``FileSystemAnnouncementLog`` is the embedded default (<doc:ProducersAndConsumers>).
public protocol AnnouncementLog: Sendable {
    /// Appends `announcement` durably before returning. Refused unless its version is above every
    /// announced version, and (`.fenced`) when its term is below the last announcement's.
    func append(_ announcement: Announcement) async throws(AnnouncementLogError)
    /// Every announcement kept (all of them, unless old ones were discarded) and the pin.
    func history() async throws(AnnouncementLogError) -> AnnouncementHistory
    /// Tells consumers to go to `version` (which must be announced) until `unpin()`.
    func pin(_ version: UInt64) async throws(AnnouncementLogError)
    func unpin() async throws(AnnouncementLogError)
    /// Yields once at once, then each time the log may have changed (an announcement, a pin), until
    /// the consuming task is cancelled. Consumers read `history()` on each element; a change may
    /// be reported more than once, never missed.
    func watch() -> AsyncStream<Void>
    /// Drops the announcements of versions below `version`, whose blobs the producer's cleaner no
    /// longer keeps, so that the log (and every reader's copy of it) stays bounded. The latest
    /// announcement and a pinned version are never dropped (nor anything after a pin). The default
    /// keeps everything.
    func discardAnnouncements(before version: UInt64) async throws(AnnouncementLogError)
}

extension AnnouncementLog {
    public func discardAnnouncements(before version: UInt64) async throws(AnnouncementLogError) {}
}
