import HollowCore

/// What a consumer serves at one moment: a version, its read state and its indexes, all of the
/// same version. Immutable: a reader that holds it keeps a consistent view for as long as it
/// wants, while refreshes publish newer ones. ``Consumer/current`` gives the one served now.
public final class ConsumerState: Sendable {
    public let version: UInt64
    public let announcement: Announcement
    public let readState: ReadState
    private let primaryKeyIndexes: [String: PrimaryKeyIndex]
    private let hashIndexes: [String: HashIndex]
    /// The handles of the consumer's views (`ConsumerView`), made for this version before it is
    /// served (or, for a view made later, when it is made).
    let views = SetOnceReferences(count: ConsumerState.maximumViews)
    /// Views one consumer may have.
    static let maximumViews = 64

    init(announcement: Announcement, readState: ReadState, indexes: ConsumerIndexes) {
        self.version = announcement.version
        self.announcement = announcement
        self.readState = readState
        self.primaryKeyIndexes = indexes.primaryKey
        self.hashIndexes = indexes.hash
    }

    /// The primary-key index configured under `name` (by default the type's name); nil when it was
    /// not configured or its type is not in this state.
    public func primaryKeyIndex(_ name: String) -> PrimaryKeyIndex? { primaryKeyIndexes[name] }

    /// The hash index configured under `name`.
    public func hashIndex(_ name: String) -> HashIndex? { hashIndexes[name] }

    /// The memory of each index this state carries, by configured name, primary-key indexes first
    /// (the read state's own is `readState.memory`).
    public var indexMemory: [IndexMemory] {
        primaryKeyIndexes.sorted { $0.key < $1.key }.map { IndexMemory(name: $0.key, kind: .primaryKey, type: $0.value.type, bytes: $0.value.memoryBytes) }
            + hashIndexes.sorted { $0.key < $1.key }.map { IndexMemory(name: $0.key, kind: .hash, type: $0.value.type, bytes: $0.value.memoryBytes) }
    }

    var indexes: ConsumerIndexes { ConsumerIndexes(primaryKey: primaryKeyIndexes, hash: hashIndexes) }
}

/// The memory one index of a consumer holds.
public struct IndexMemory: Sendable, Hashable {
    public var name: String
    public var kind: IndexDefinition.Kind
    public var type: String
    public var bytes: Int
}
