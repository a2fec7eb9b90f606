extension EtcdAnnouncementLog {
    /// What `compact(keepingLast:compactingRevisions:)` did.
    public struct Compaction: Sendable, Hashable {
        /// The versions whose announcements were deleted, oldest first.
        public var deletedVersions: [UInt64]
        /// The versions still in the log, oldest first.
        public var keptVersions: [UInt64]
        /// The revision etcd's history was compacted at (nil: not compacted).
        public var compactedRevision: Int64?

        public init(deletedVersions: [UInt64], keptVersions: [UInt64], compactedRevision: Int64?) {
            self.deletedVersions = deletedVersions
            self.keptVersions = keptVersions
            self.compactedRevision = compactedRevision
        }
    }
}
