/// Why a blob store could not do what was asked.
public enum BlobStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidName(String, reason: String)
    case notFound(BlobName)
    /// The blob is not the size its announcement gives (a file in its place, truncated or grown).
    case sizeMismatch(BlobName, expected: Int, found: Int)
    /// The store's location is missing or unusable (not a directory, say).
    case unavailable(String)
    /// An operating-system call failed: which, on what, and the system's message.
    case io(operation: String, path: String, message: String)

    public var description: String {
        switch self {
        case .invalidName(let name, let reason): "invalid blob name '\(name)': \(reason)"
        case .notFound(let name): "no blob named '\(name)'"
        case .sizeMismatch(let name, let expected, let found): "blob '\(name)' is \(found) bytes, announced as \(expected)"
        case .unavailable(let what): "blob store unavailable: \(what)"
        case .io(let operation, let path, let message): "\(operation) \(path): \(message)"
        }
    }
}

extension BlobStoreError {
    init(_ error: FileIOError) {
        self = .io(operation: error.operation, path: error.path, message: error.message)
    }
}
