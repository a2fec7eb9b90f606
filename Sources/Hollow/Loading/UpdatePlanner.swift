/// Picks the cheapest way to a wanted version from the announcement history: the chain of deltas
/// (or reverse deltas, to go back to a pinned version) from the current version when it is
/// unbroken and at most `maximumChainLength` long, otherwise the nearest snapshot and the chain
/// from it. Blobs known to be bad are left out, so that a failed step can be planned around.
public struct UpdatePlanner: Sendable {
    /// The longest chain of deltas taken before a snapshot is preferred.
    public var maximumChainLength: Int

    public init(maximumChainLength: Int = 32) {
        precondition(maximumChainLength >= 1, "the chain limit is at least 1")
        self.maximumChainLength = maximumChainLength
    }

    /// The steps from `current` (nil: nothing loaded) to `wanted`, or nil when no chain of usable
    /// blobs leads there. An empty plan when `current == wanted`.
    public func plan(history: AnnouncementHistory, from current: UInt64?, to wanted: UInt64,
                     excluding bad: Set<BlobName> = []) -> UpdatePlan? {
        let announcements = history.announcements
        guard let target = history.index(of: wanted) else { return nil }
        if current == wanted { return UpdatePlan(steps: []) }

        var fromCurrent: [UpdateStep]?
        if let current, let start = history.index(of: current) {
            fromCurrent = walk(announcements, from: start, to: target, excluding: bad)
            if let steps = fromCurrent, steps.count <= maximumChainLength { return UpdatePlan(steps: steps) }
        }

        // Snapshots, nearest to the target first; the first within the limit wins.
        var best: [UpdateStep]?
        for distance in 0..<announcements.count {
            // Past the limit only a long way remains; the first one found will do.
            if distance > maximumChainLength && (best != nil || fromCurrent != nil) { break }
            for index in Set([target - distance, target + distance]) where announcements.indices.contains(index) {
                let announcement = announcements[index]
                guard let snapshot = announcement.snapshot, !bad.contains(snapshot.name),
                      let chain = walk(announcements, from: index, to: target, excluding: bad) else { continue }
                let steps = [UpdateStep(kind: .snapshot, blob: snapshot, fromVersion: nil,
                                        toVersion: announcement.version, toStateID: announcement.stateID)] + chain
                if chain.count <= maximumChainLength { return UpdatePlan(steps: steps) }
                if best == nil || steps.count < best!.count { best = steps }
            }
        }
        // Over the limit: the shorter of the two long ways, rather than nothing.
        if let fromCurrent, fromCurrent.count <= (best?.count ?? .max) { return UpdatePlan(steps: fromCurrent) }
        return best.map(UpdatePlan.init(steps:))
    }

    /// The deltas (forward) or reverse deltas (back) between two positions of the history, or nil
    /// when a link is missing or bad.
    private func walk(_ announcements: [Announcement], from start: Int, to end: Int, excluding bad: Set<BlobName>) -> [UpdateStep]? {
        var steps: [UpdateStep] = []
        if start < end {
            for index in (start + 1)...end {
                let announcement = announcements[index]
                let previous = announcements[index - 1]
                guard let delta = announcement.delta, !bad.contains(delta.name),
                      announcement.previousVersion == previous.version,
                      announcement.previousStateID == previous.stateID else { return nil }
                steps.append(UpdateStep(kind: .delta, blob: delta, fromVersion: previous.version,
                                        toVersion: announcement.version, toStateID: announcement.stateID))
            }
        } else if start > end {
            for index in stride(from: start, to: end, by: -1) {
                let announcement = announcements[index]
                let previous = announcements[index - 1]
                guard let reverse = announcement.reverseDelta, !bad.contains(reverse.name),
                      announcement.previousVersion == previous.version,
                      announcement.previousStateID == previous.stateID else { return nil }
                steps.append(UpdateStep(kind: .reverseDelta, blob: reverse, fromVersion: announcement.version,
                                        toVersion: previous.version, toStateID: previous.stateID))
            }
        }
        return steps
    }
}
