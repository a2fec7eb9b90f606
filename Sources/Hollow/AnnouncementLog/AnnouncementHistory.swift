import Foundation

/// What the log says at one moment: every announcement in order, and the pin if there is one.
public struct AnnouncementHistory: Sendable, Equatable {
    public var announcements: [Announcement]
    /// The version consumers are told to go to instead of the latest.
    public var pinnedVersion: UInt64?

    public init(announcements: [Announcement] = [], pinnedVersion: UInt64? = nil) {
        self.announcements = announcements
        self.pinnedVersion = pinnedVersion
    }

    public var latest: Announcement? { announcements.last }

    /// The version consumers should serve: the pinned one, else the latest.
    public var wantedVersion: UInt64? { pinnedVersion ?? latest?.version }

    public func announcement(of version: UInt64) -> Announcement? {
        index(of: version).map { announcements[$0] }
    }

    /// The position of `version` in `announcements` (versions increase along the log: a binary search).
    public func index(of version: UInt64) -> Int? {
        var low = 0
        var high = announcements.count
        while low < high {
            let middle = (low + high) / 2
            if announcements[middle].version < version { low = middle + 1 } else { high = middle }
        }
        return low < announcements.count && announcements[low].version == version ? low : nil
    }
}
