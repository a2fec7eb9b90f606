import HollowCore

/// What changed between two states, type by type: the records added, removed and changed by
/// primary key (with the fields that changed), and for types without a key only the counts.
///
///     let diff = StateDiff(from: old, to: new)
///     for type in diff.types where type.hasChanges { ... }
///
/// Pure: two read states in, values out. The states may have different schemas (a type or a field
/// added or removed between versions).
public struct StateDiff: Sendable, Hashable {
    /// Every type of the new state in its schema order, then the types only the old state has.
    public var types: [TypeDiff]

    /// The differences from `old` to `new`, of every type or only of `type` (no entry when
    /// neither state has it). `keeping`: the records of each kind (added, removed, changed) kept
    /// per type; the rest are counted only (`TypeDiff.addedCount`...).
    public init(from old: ReadState, to new: ReadState, onlyType type: String? = nil, keeping limit: Int = .max) {
        let names = new.schema.types.map(\.name) + old.schema.types.map(\.name).filter { new.schema[$0] == nil }
        types = names.filter { type == nil || type == $0 }.map { TypeDiff($0, from: old, to: new, keeping: limit) }
    }

    /// Whether any type changed.
    public var hasChanges: Bool { types.contains(where: \.hasChanges) }
}
