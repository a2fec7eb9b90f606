/// Why an index could not be built.
public enum IndexError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownType(String)
    case noKeyFields(type: String)
    case invalidPath(type: String, path: String, reason: String)

    public var description: String {
        switch self {
        case .unknownType(let type): "no object type '\(type)' to index"
        case .noKeyFields(let type): "an index on \(type) needs at least one key field (and \(type) declares no primary key)"
        case .invalidPath(let type, let path, let reason): "cannot index \(type) on '\(path)': \(reason)"
        }
    }
}
