import Foundation
import Hollow
import HollowCore

extension VersionHistory {
    /// One announced version.
    public struct Entry: Sendable, Hashable {
        /// Everything the log says of the version.
        public var announcement: Announcement
        /// Whether consumers are pinned to this version.
        public var isPinned: Bool
        /// Whether a consumer can still load the version from the store's blobs (nil: not known).
        public var isLoadable: Bool?

        public init(announcement: Announcement, isPinned: Bool, isLoadable: Bool? = nil) {
            self.announcement = announcement
            self.isPinned = isPinned
            self.isLoadable = isLoadable
        }

        public var version: UInt64 { announcement.version }

        /// When the producer announced it, by its own clock (informative only).
        public var date: Date { Date(timeIntervalSince1970: Double(announcement.timestampMilliseconds) / 1000) }

        /// The blobs that make the version, in the order snapshot, delta, reverse delta (those it has).
        public var blobs: [(kind: BlobKind, reference: BlobReference)] {
            [(BlobKind.snapshot, announcement.snapshot), (.delta, announcement.delta), (.reverseDelta, announcement.reverseDelta)]
                .compactMap { kind, blob in blob.map { (kind, $0) } }
        }

        /// The producer's tags, sorted by name.
        public var sortedTags: [(name: String, value: String)] {
            announcement.tags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
    }
}
