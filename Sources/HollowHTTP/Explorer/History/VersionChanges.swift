import Foundation
import HollowTools

/// What changed from one served version to the next, as the explorer recorded it.
struct VersionChanges: Sendable {
    /// One type's changes: the records added, removed and changed (the first `keptRecords` of
    /// each), and how many there were in all.
    struct ChangedType: Sendable {
        var diff: TypeDiff
        var addedCount: Int { diff.addedCount }
        var removedCount: Int { diff.removedCount }
        var changedCount: Int { diff.changedCount }
        /// Whether some records were left out of the lists (a version that changed more than the
        /// explorer keeps).
        var isCut: Bool { addedCount > diff.added.count || removedCount > diff.removed.count || changedCount > diff.changed.count }

        init(_ diff: TypeDiff) { self.diff = diff }
    }

    /// The version served after the change, and the one served before it (not always the
    /// previous version: a consumer that catches up loads several versions at once).
    let version: UInt64
    let fromVersion: UInt64
    /// When the explorer saw the new version served.
    let recordedAt: Date
    /// The types with changes, in the new schema's order; nil when the states were too large to
    /// compare record by record (`comparedRecordsLimit`), then only `recordCounts` are known.
    let types: [ChangedType]?
    /// Records per type before and after, of every type either version has.
    let recordCounts: [(name: String, from: Int, to: Int)]

    func type(_ name: String) -> ChangedType? { types?.first { $0.diff.name == name } }
}
