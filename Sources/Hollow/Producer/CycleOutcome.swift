import HollowCore

/// What a producer cycle did.
public enum CycleOutcome: Sendable {
    /// A new version was announced.
    case announced(Announcement, changes: [String: TypeChangeSummary])
    /// The dataset is the same as the last announced version (nil when nothing was ever
    /// announced): no version, no blobs.
    case unchanged(version: UInt64?)

    /// The version consumers should be on after this cycle.
    public var version: UInt64? {
        switch self {
        case .announced(let announcement, _): announcement.version
        case .unchanged(let version): version
        }
    }

    /// The announcement of an announced cycle.
    public var announcement: Announcement? {
        if case .announced(let announcement, _) = self { announcement } else { nil }
    }
}
