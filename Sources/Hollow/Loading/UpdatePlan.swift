

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
