/// One step of an update: a blob to fetch and apply, and the version it leads to.
public struct UpdateStep: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case snapshot
        case delta
        case reverseDelta = "reverse delta"
    }

    public let kind: Kind
    public let blob: BlobReference
    /// The version the step applies to (nil for a snapshot) and the version it leads to.
    public let fromVersion: UInt64?
    public let toVersion: UInt64
    /// The read state id the step must produce (as announced).
    public let toStateID: UInt64

    public var description: String {
        switch kind {
        case .snapshot: "snapshot \(toVersion)"
        case .delta, .reverseDelta: "\(kind.rawValue) \(fromVersion ?? 0) -> \(toVersion)"
        }
    }
}
