/// Why an announcement log refused or could not do what was asked.
public enum AnnouncementLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The version is not above the last announced one.
    case versionNotIncreasing(version: UInt64, last: UInt64)
    /// Fencing: the announcement's term is not the current leader's (`currentTerm` nil: no
    /// producer leads now, or its lease ran out). The producer that sent it was deposed.
    case fenced(term: UInt64, currentTerm: UInt64?)
    /// A pin to a version the log does not hold.
    case unknownVersion(UInt64)
    /// A complete line of the log could not be read (the last, unfinished line is ignored, not reported).
    case corrupt(path: String, line: Int, message: String)
    /// The log cannot be reached or used: what, and why.
    case unavailable(String)
    /// A file operation on the log failed: which, on what, and the system's message.
    case io(operation: String, path: String, message: String)

    public var description: String {
        switch self {
        case .versionNotIncreasing(let version, let last): "version \(version) is not above the last announced version \(last)"
        case .fenced(let term, let current):
            "announcement refused: term \(term) is not the current leader's (\(current.map { "current term \($0)" } ?? "no producer leads now"))"
        case .unknownVersion(let version): "version \(version) was never announced"
        case .corrupt(let path, let line, let message): "\(path):\(line): \(message)"
        case .unavailable(let what): "announcement log unavailable: \(what)"
        case .io(let operation, let path, let message): "\(operation) \(path): \(message)"
        }
    }
}

extension AnnouncementLogError {
    init(_ error: FileIOError) {
        self = .io(operation: error.operation, path: error.path, message: error.message)
    }
}
