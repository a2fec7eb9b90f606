import Hollow

extension ProducerError {
    /// Errors after which an elected producer waits for leadership again.
    var meansStandby: Bool {
        switch self {
        case .notLeader, .leadershipLost: true
        default: false
        }
    }
}
