@testable import Hollow
import HollowCore

/// What must hold after a failover drill, checked on the log and the blobs it left.
enum FailoverChecks {
    /// Every violation found (empty when all hold):
    /// - versions strictly increase, no version is announced twice;
    /// - terms never go back along the log: no announcement from a deposed term;
    /// - one producer per term;
    /// - every version loads from the chain of deltas from the first snapshot, and from its
    ///   nearest snapshot (and the deltas after it), to the same state id and content.
    static func violations(history: AnnouncementHistory, store: any BlobStore) async -> Violations {
        var problems = Violations()
        let announcements = history.announcements
        for (previous, next) in zip(announcements, announcements.dropFirst()) {
            if next.version == previous.version { problems.twice.append("version \(next.version) announced twice") }
            if next.version < previous.version { problems.outOfOrder.append("version \(next.version) after version \(previous.version)") }
            if next.term < previous.term {
                problems.deposed.append("version \(next.version) announced by deposed term \(next.term) after term \(previous.term)")
            }
        }
        var producerOfTerm: [UInt64: String] = [:]
        for announcement in announcements {
            if let other = producerOfTerm.updateValue(announcement.producerID, forKey: announcement.term), other != announcement.producerID {
                problems.sharedTerms.append("term \(announcement.term) announced by both \(other) and \(announcement.producerID)")
            }
        }

        var chain: ReadState?
        var lastSnapshotState: ReadState?
        for announcement in announcements {
            do {
                // Along the chain of deltas.
                if let state = chain, let delta = announcement.delta, announcement.previousVersion != nil {
                    chain = try state.applying(delta: try await fetch(delta, store))
                } else {
                    let snapshot = try announcement.snapshot.orThrow("version \(announcement.version) has neither a delta nor a snapshot")
                    chain = try ReadState(snapshot: try await fetch(snapshot, store))
                }
                // From its nearest snapshot.
                if let snapshot = announcement.snapshot {
                    lastSnapshotState = try ReadState(snapshot: try await fetch(snapshot, store))
                } else if let state = lastSnapshotState, let delta = announcement.delta {
                    lastSnapshotState = try state.applying(delta: try await fetch(delta, store))
                }
                guard let chained = chain, let fromSnapshot = lastSnapshotState else { continue }
                if chained.stateID != announcement.stateID || fromSnapshot.stateID != announcement.stateID {
                    problems.brokenChain.append("version \(announcement.version): state ids differ (announced, chain, snapshot path)")
                } else if items(chained) != items(fromSnapshot) {
                    problems.brokenChain.append("version \(announcement.version): the chain and the snapshot path differ in content")
                }
            } catch {
                problems.brokenChain.append("version \(announcement.version) does not load: \(error)")
                chain = nil
            }
        }
        return problems
    }

    /// What broke, by kind: the drill's figures count each (all must be 0).
    struct Violations {
        var twice: [String] = []
        var outOfOrder: [String] = []
        var deposed: [String] = []
        var sharedTerms: [String] = []
        /// Versions that do not load, or load to another state along one of the two paths.
        var brokenChain: [String] = []
        var all: [String] { twice + outOfOrder + deposed + sharedTerms + brokenChain }
    }

    static func items(_ state: ReadState) -> [Int64: Int64] {
        guard let type = state.objectType("Item"), let id = type.field("id"), let value = type.field("value") else { return [:] }
        var items: [Int64: Int64] = [:]
        for ordinal in type.ordinals { items[type.long(ordinal, id)!] = type.long(ordinal, value)! }
        return items
    }

    private static func fetch(_ blob: BlobReference, _ store: any BlobStore) async throws -> [UInt8] {
        let bytes = try await store.get(blob.name)
        guard BlobDigest.reference(blob.name, bytes) == blob else { throw DrillFailure("blob \(blob.name) does not match its announcement") }
        return bytes
    }
}
