import HollowCore
import Synchronization

/// The explorer's own indexes (primary keys of types the consumer does not index, fields queried
/// by value), one per type and fields, each brought to the state asked for from the one it was
/// built for (by the deltas between, when they are consecutive).
///
/// Built outside the lock: a build reads every record, and requests for other indexes go on
/// meanwhile (two requests for the same new index may both build it; the last one is kept). Only
/// the indexes of the state asked for last are kept: an index of an older state would keep that
/// whole state in memory, so asking for another state drops them (the next request of each
/// rebuilds it). At most `limit` field indexes are kept; asking for another drops one.
final class IndexCache: Sendable {
    static let limit = 16

    private struct Held: Sendable {
        var state: ReadState?
        var primaryKeys: [String: PrimaryKeyIndex] = [:]
        var fields: [[String]: HashIndex] = [:]
    }

    private let held = Mutex(Held())

    func primaryKeyIndex(of type: String, in state: ReadState) -> PrimaryKeyIndex? {
        let previous = held.withLock { $0.primaryKeys[type] }
        if let previous, previous.state === state { return previous }
        guard let index = try? previous.map({ try $0.updated(to: state) }) ?? PrimaryKeyIndex(state, type: type) else { return nil }
        keep(state) { $0.primaryKeys[type] = index }
        return index
    }

    func fieldIndex(of type: String, field path: String, in state: ReadState) throws(IndexError) -> HashIndex {
        let name = [type, path]
        let previous = held.withLock { $0.fields[name] }
        if let previous, previous.state === state { return previous }
        let index: HashIndex
        if let previous { index = try previous.updated(to: state) } else { index = try HashIndex(state, type: type, fields: [path]) }
        keep(state) { held in
            if held.fields[name] == nil, held.fields.count >= Self.limit, let dropped = held.fields.keys.first { held.fields[dropped] = nil }
            held.fields[name] = index
        }
        return index
    }

    /// Runs `insert` on what is held for `state`, dropping first what was held for another state.
    private func keep(_ state: ReadState, _ insert: (inout Held) -> Void) {
        held.withLock { held in
            if held.state !== state { held = Held(state: state) }
            insert(&held)
        }
    }
}
