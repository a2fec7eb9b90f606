extension EtcdAnnouncementLog {
    /// How much of the log to keep: after every `every` appends, the appending log object calls
    /// `compact(keepingLast:compactingRevisions:)` (a failed compaction is logged, the append
    /// still succeeded). Only the producer appends, so only it compacts.
    public struct Retention: Sendable, Hashable {
        /// The announcements kept: the last `keepingLast`, plus the pinned one (at least 1).
        public var keepingLast: Int
        /// Appends between two compactions (at least 1).
        public var every: Int
        /// Whether etcd's revision history is compacted too, at the deletions' revision. It is
        /// cluster-wide: leave it off when etcd runs its own `--auto-compaction-retention`.
        public var compactingRevisions: Bool

        public init(keepingLast: Int, every: Int = 100, compactingRevisions: Bool = true) {
            precondition(keepingLast >= 1, "keep at least the last announcement")
            precondition(every >= 1, "every is at least 1")
            self.keepingLast = keepingLast
            self.every = every
            self.compactingRevisions = compactingRevisions
        }
    }
}
