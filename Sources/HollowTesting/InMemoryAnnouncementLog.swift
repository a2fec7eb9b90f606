import Hollow
import Synchronization

/// An announcement log in memory, for tests: watchers are told of every change at once, and the
/// log can be made unreachable. Fenced by a `ControlledElection`, it refuses an announcement whose
/// term is not the current leader's, as the file and etcd logs do.
public final class InMemoryAnnouncementLog: AnnouncementLog {
    private struct Contents {
        var history = AnnouncementHistory()
        var unavailable = false
        var failsAppends = false
        var watchers: [Int: AsyncStream<Void>.Continuation] = [:]
        var nextWatcher = 0
    }

    private let contents = Mutex(Contents())
    public let fence: ControlledElection?

    public init(_ history: AnnouncementHistory = AnnouncementHistory(), fencedBy fence: ControlledElection? = nil) {
        self.fence = fence
        contents.withLock { $0.history = history }
    }

    public func append(_ announcement: Announcement) async throws(AnnouncementLogError) {
        let fence = fence
        if failsAppends { throw .unavailable("in-memory log set to fail appends (as a request that timed out does)") }
        try change { (history) throws(AnnouncementLogError) in
            if let fence, fence.currentTerm != announcement.term {
                throw .fenced(term: announcement.term, currentTerm: fence.currentTerm)
            }
            if let last = history.latest, announcement.term < last.term {
                throw .fenced(term: announcement.term, currentTerm: last.term)
            }
            if let last = history.latest?.version, announcement.version <= last {
                throw .versionNotIncreasing(version: announcement.version, last: last)
            }
            history.announcements.append(announcement)
        }
    }

    public func history() async throws(AnnouncementLogError) -> AnnouncementHistory {
        try contents.withLock { (contents) throws(AnnouncementLogError) in
            if contents.unavailable { throw .unavailable("in-memory log set to be unreachable") }
            return contents.history
        }
    }

    public func pin(_ version: UInt64) async throws(AnnouncementLogError) {
        try change { (history) throws(AnnouncementLogError) in
            guard history.announcement(of: version) != nil else { throw .unknownVersion(version) }
            history.pinnedVersion = version
        }
    }

    public func unpin() async throws(AnnouncementLogError) {
        try change { (history) throws(AnnouncementLogError) in history.pinnedVersion = nil }
    }

    /// Drops the announcements below `version`, as the file log does (never the latest, never from
    /// a pinned version on).
    public func discardAnnouncements(before version: UInt64) async throws(AnnouncementLogError) {
        try change { (history) throws(AnnouncementLogError) in
            var cutoff = version
            if let latest = history.latest?.version { cutoff = min(cutoff, latest) }
            if let pinned = history.pinnedVersion { cutoff = min(cutoff, pinned) }
            history.announcements.removeAll { $0.version < cutoff }
        }
    }

    public func watch() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = contents.withLock { contents in
            let id = contents.nextWatcher
            contents.nextWatcher += 1
            contents.watchers[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.contents.withLock { $0.watchers.removeValue(forKey: id) }
        }
        continuation.yield()
        return stream
    }

    /// While true, every call fails as an unreachable log does.
    public var isUnavailable: Bool {
        get { contents.withLock { $0.unavailable } }
        set { contents.withLock { $0.unavailable = newValue } }
    }

    /// While true, appends fail as one whose outcome is unknown does (a timeout); reads still work.
    public var failsAppends: Bool {
        get { contents.withLock { $0.failsAppends } }
        set { contents.withLock { $0.failsAppends = newValue } }
    }

    /// What the log holds (no fault applies).
    public var currentHistory: AnnouncementHistory { contents.withLock { $0.history } }

    private func change(_ body: (inout AnnouncementHistory) throws(AnnouncementLogError) -> Void) throws(AnnouncementLogError) {
        let watchers = try contents.withLock { (contents) throws(AnnouncementLogError) -> [AsyncStream<Void>.Continuation] in
            if contents.unavailable { throw .unavailable("in-memory log set to be unreachable") }
            try body(&contents.history)
            return Array(contents.watchers.values)
        }
        for watcher in watchers { watcher.yield() }
    }
}
