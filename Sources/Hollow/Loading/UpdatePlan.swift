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

/// The steps that bring a state to a wanted version: deltas forward, reverse deltas back, or a
/// snapshot and deltas from it.
public struct UpdatePlan: Sendable, Hashable, CustomStringConvertible {
    public let steps: [UpdateStep]

    public var startsWithSnapshot: Bool { steps.first?.kind == .snapshot }
    /// Compressed bytes to fetch.
    public var bytes: Int { steps.reduce(0) { $0 + $1.blob.size } }

    /// "snapshot + 2 deltas", "3 reverse deltas", "nothing".
    public var description: String {
        if steps.isEmpty { return "nothing" }
        var parts: [String] = []
        if startsWithSnapshot { parts.append("snapshot") }
        let walk = steps.filter { $0.kind != .snapshot }
        if let kind = walk.first?.kind {
            let noun = kind == .delta ? "delta" : "reverse delta"
            parts.append("\(walk.count) \(noun)\(walk.count == 1 ? "" : "s")")
        }
        return parts.joined(separator: " + ")
    }
}
