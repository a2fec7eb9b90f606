import Atomics
import HollowCore

/// What a consumer serves at one moment: a version, its read state and its indexes, all of the
/// same version. Immutable: a reader that holds it keeps a consistent view for as long as it
/// wants, while refreshes publish newer ones.
public final class ConsumerState: Sendable, AtomicReference {
    public let version: UInt64
    public let announcement: Announcement
    public let readState: ReadState
    private let primaryKeyIndexes: [String: PrimaryKeyIndex]
    private let hashIndexes: [String: HashIndex]

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

    var indexes: ConsumerIndexes { ConsumerIndexes(primaryKey: primaryKeyIndexes, hash: hashIndexes) }
}

/// The configured indexes of one state, followed from state to state.
struct ConsumerIndexes: Sendable {
    var primaryKey: [String: PrimaryKeyIndex] = [:]
    var hash: [String: HashIndex] = [:]

    /// These indexes for `state`: updated from the delta when `state` follows theirs, built
    /// otherwise. An index whose type is not in `state` is left out.
    func following(_ definitions: [IndexDefinition], to state: ReadState) throws(RefreshError) -> ConsumerIndexes {
        var next = ConsumerIndexes()
        for definition in definitions where state.objectType(definition.type) != nil {
            do throws(IndexError) {
                switch definition.kind {
                case .primaryKey:
                    if let index = primaryKey[definition.name] {
                        next.primaryKey[definition.name] = try index.updated(to: state)
                    } else {
                        next.primaryKey[definition.name] = try PrimaryKeyIndex(state, type: definition.type, fields: definition.fields)
                    }
                case .hash:
                    if let index = hash[definition.name] {
                        next.hash[definition.name] = try index.updated(to: state)
                    } else {
                        next.hash[definition.name] = try HashIndex(state, type: definition.type, fields: definition.fields ?? [])
                    }
                }
            } catch {
                throw .index(name: definition.name, error)
            }
        }
        return next
    }
}
