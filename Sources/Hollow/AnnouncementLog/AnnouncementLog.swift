/// The append-only history of announced versions, plus a pin. Small on purpose, so that an etcd or
/// database implementation is a file of its own.
public protocol AnnouncementLog: Sendable {
    /// Appends `announcement` durably before returning. Refused unless its version is above every
    /// announced version.
    func append(_ announcement: Announcement) async throws(AnnouncementLogError)
    /// Every announcement so far and the pin.
    func history() async throws(AnnouncementLogError) -> AnnouncementHistory
    /// Tells consumers to go to `version` (which must be announced) until `unpin()`.
    func pin(_ version: UInt64) async throws(AnnouncementLogError)
    func unpin() async throws(AnnouncementLogError)
    /// Yields once at once, then each time the log may have changed (an announcement, a pin), until
    /// the consuming task is cancelled. Consumers read `history()` on each element; a change may
    /// be reported more than once, never missed.
    func watch() -> AsyncStream<Void>
}

public enum AnnouncementLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The version is not above the last announced one.
    case versionNotIncreasing(version: UInt64, last: UInt64)
    /// Fencing: the announcement's term is not the current leader's (`currentTerm` nil: no
    /// producer leads now, or its lease ran out). The producer that sent it was deposed.
    case fenced(term: UInt64, currentTerm: UInt64?)
    case unknownVersion(UInt64)
    /// A complete line of the log could not be read (the last, unfinished line is ignored, not reported).
    case corrupt(path: String, line: Int, message: String)
    case unavailable(String)
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
