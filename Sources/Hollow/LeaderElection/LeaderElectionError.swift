/// Why an election could not answer.
public enum LeaderElectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The election's backend (a lock file, etcd) cannot be reached or used.
    case unavailable(String)
    /// The task waiting for leadership was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case .unavailable(let what): "leader election unavailable: \(what)"
        case .cancelled: "leader election cancelled"
        }
    }
}

extension LeaderElectionError {
    init(_ error: FileIOError) {
        self = .unavailable(error.description)
    }
}
