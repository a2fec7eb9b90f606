import HollowCore
import Synchronization

/// The explorer's own indexes (primary keys of types the consumer does not index, fields queried
/// by value), one per type and fields, each brought to the state asked for from the one it was
/// built for (by the deltas between, when they are consecutive).
final class IndexCache: Sendable {
    private let primaryKeys = Mutex<[String: PrimaryKeyIndex]>([:])
    private let fields = Mutex<[[String]: HashIndex]>([:])

    func primaryKeyIndex(of type: String, in state: ReadState) -> PrimaryKeyIndex? {
        primaryKeys.withLock { held in
            if let index = held[type], index.state === state { return index }
            let next = try? held[type].map { try $0.updated(to: state) } ?? PrimaryKeyIndex(state, type: type)
            held[type] = next
            return next
        }
    }

    func fieldIndex(of type: String, field path: String, in state: ReadState) throws(IndexError) -> HashIndex {
        let name = [type, path]
        let result: Result<HashIndex, IndexError> = fields.withLock { held in
            if let index = held[name], index.state === state { return .success(index) }
            do throws(IndexError) {
                let next: HashIndex
                if let index = held[name] { next = try index.updated(to: state) } else { next = try HashIndex(state, type: type, fields: [path]) }
                held[name] = next
                return .success(next)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
