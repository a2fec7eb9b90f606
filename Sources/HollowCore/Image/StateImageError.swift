/// Why a state image could not be opened. A consumer that meets one starts from its blobs instead.
public enum StateImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be opened or mapped (missing, not a regular file, empty, no permission).
    case unreadable(path: String, String)
    /// The file is not an image this build reads, or its content is damaged: the text says what
    /// and where (offsets are from the start of the file).
    case refused(path: String, BlobError)

    public var description: String {
        switch self {
        case .unreadable(let path, let why): "state image \(path) cannot be read: \(why)"
        case .refused(let path, let error): "state image \(path) refused: \(error)"
        }
    }
}
