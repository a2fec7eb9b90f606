import Hollow
import Synchronization

/// What a log has read already: announcements are immutable once appended, so a history read only
/// asks for the keys after the last one seen. Also the `latest` key as last seen, so that an
/// append needs no read first.
final class AnnouncementCache: Sendable {
    struct Announcements: Sendable {
        var list: [Announcement] = []
        /// The key of the last announcement in `list`.
        var lastKey: [UInt8]?
    }

    struct Latest: Sendable {
        var version: UInt64?
        /// The mod revision of `<prefix>/latest` (0: it does not exist).
        var modRevision: Int64
        /// The term of the announcement of `version`, once known.
        var term: UInt64? = nil
    }

    let announcements = Mutex(Announcements())
    let latest = Mutex<Latest?>(nil)

    /// Keeps `read` if it reaches at least as far as what is cached (two reads may race; a read
    /// that reaches as far may have dropped announcements compacted away).
    func extend(with read: Announcements) {
        announcements.withLock { cached in
            if (read.list.last?.version ?? 0) >= (cached.list.last?.version ?? 0) { cached = read }
        }
    }
}
