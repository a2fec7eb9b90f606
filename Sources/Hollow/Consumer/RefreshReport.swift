

/// What one refresh did.
public struct RefreshReport: Sendable, CustomStringConvertible {
    public enum Source: String, Sendable {
        case blobStore = "blob store"
        /// The consumer's local copy of the last blobs it loaded (the store was unreachable).
        case localCache = "local cache"
        /// The image of a served state the consumer kept in its local cache, mapped at start.
        case localImage = "local image"
    }

    public let fromVersion: UInt64?
    public let toVersion: UInt64
    /// The steps applied (none when the consumer already served the wanted version).
    public let steps: [UpdateStep]
    public let bytesFetched: Int
    public let duration: Duration
    public let source: Source
    /// Blobs that failed and were planned around, with why.
    public let failuresPlannedAround: [RefreshError]

    public var changedVersion: Bool { fromVersion != toVersion }

    /// "snapshot + 2 deltas", "1 reverse delta", "nothing".
    public var path: String { UpdatePlan(steps: steps).description }

    public var description: String {
        let from = fromVersion.map(String.init) ?? "nothing"
        return "\(from) -> \(toVersion) by \(path) (\(bytesFetched) bytes, \(duration), from the \(source.rawValue))"
    }
}
