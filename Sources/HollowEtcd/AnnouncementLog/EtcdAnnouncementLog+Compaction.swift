import Hollow
import Logging

extension EtcdAnnouncementLog {
    /// Deletes the announcements older than the last `count`, never the latest, never the
    /// pinned one, and never the last one with a snapshot (from which the kept deltas lead on), in one transaction that holds only while the pin is as read (a pin moved
    /// meanwhile makes it a no-op: call again). Then, with `compactingRevisions`, compacts etcd's
    /// history at the deletions' revision, so that the deleted values and older revisions of every
    /// key are freed (cluster-wide; etcd keeps the revisions from that one on).
    ///
    /// Consumers are not disturbed: their history starts later, a history read in progress starts
    /// again at the current revision, and a watch that falls behind the compaction starts from the
    /// current revision and yields. A consumer whose version is no longer announced loads the
    /// snapshot of a kept one.
    @discardableResult
    public func compact(keepingLast count: Int, compactingRevisions: Bool = true) async throws(AnnouncementLogError) -> Compaction {
        precondition(count >= 1, "keep at least the last announcement")
        var announcements: [Announcement] = []
        var revision: Int64?
        let pin: EtcdKeyValue?
        do {
            var start = keys.announcements
            while true {
                let page = try await client.range(key: start, rangeEnd: keys.announcementsEnd, revision: revision, limit: 500)
                revision = revision ?? page.header.revision
                for kv in page.kvs {
                    announcements.append(try Self.decode(kv, keys: keys))
                    start = kv.key + [0]
                }
                if !page.more || page.kvs.isEmpty { break }
            }
            pin = try await client.range(key: keys.pin, revision: revision).kvs.first
        } catch let error as AnnouncementLogError {
            throw error
        } catch let error as EtcdError {
            throw unavailable(error)
        } catch {
            throw .unavailable("\(error)")
        }
        let pinned = try pin.map(Self.version(in:))
        let versions = announcements.map(\.version)
        guard versions.count > count else { return Compaction(deletedVersions: [], keptVersions: versions, compactedRevision: nil) }
        // A consumer starting now needs a snapshot: keep from the last one when the last `count`
        // announcements have none.
        var firstKeptIndex = versions.count - count
        if !announcements[firstKeptIndex...].contains(where: { $0.snapshot != nil }),
           let snapshotIndex = announcements[..<firstKeptIndex].lastIndex(where: { $0.snapshot != nil }) {
            firstKeptIndex = snapshotIndex
        }
        let firstKept = versions[firstKeptIndex]
        let doomed = versions.filter { $0 < firstKept && $0 != pinned }
        guard !doomed.isEmpty else { return Compaction(deletedVersions: [], keptVersions: versions, compactedRevision: nil) }

        // Key ranges below the first kept announcement, around the pinned one.
        var deletions: [EtcdRequestOp] = []
        if let pinned, pinned < firstKept {
            deletions.append(.delete(key: keys.announcements, rangeEnd: keys.announcement(pinned)))
            deletions.append(.delete(key: keys.announcement(pinned) + [0], rangeEnd: keys.announcement(firstKept)))
        } else {
            deletions.append(.delete(key: keys.announcements, rangeEnd: keys.announcement(firstKept)))
        }
        let response: EtcdTxnResponse
        do {
            response = try await client.txn(compare: [EtcdCompare(keys.pin, .mod(pin?.modRevision ?? 0), .equal)], success: deletions)
        } catch {
            throw unavailable(error)
        }
        guard response.succeeded else {
            logger.info("announcement compaction skipped: the pin moved meanwhile")
            return Compaction(deletedVersions: [], keptVersions: versions, compactedRevision: nil)
        }
        var compacted: Int64?
        if compactingRevisions {
            do { try await client.compact(revision: response.header.revision) } catch { throw unavailable(error) }
            compacted = response.header.revision
        }
        let kept = versions.filter { !doomed.contains($0) }
        logger.info("announcement log compacted", metadata: [
            "deleted": "\(doomed.count) (versions \(doomed.first!)...\(doomed.last!))", "kept": "\(kept.count)",
            "revision": "\(compacted.map(String.init) ?? "not compacted")",
        ])
        return Compaction(deletedVersions: doomed, keptVersions: kept, compactedRevision: compacted)
    }

    /// The producer's cleaner: deletes the announcements below `version` (and below a pinned
    /// version; never the latest) in one transaction that holds only while the pin is as read.
    /// etcd's revisions are not compacted here: `compact(keepingLast:)` or `retention` does that.
    public func discardAnnouncements(before version: UInt64) async throws(AnnouncementLogError) {
        let pin: EtcdKeyValue?
        let latest: EtcdKeyValue?
        do {
            let read = try await client.range(key: keys.pin)
            pin = read.kvs.first
            latest = try await client.range(key: keys.latest, revision: read.header.revision).kvs.first
        } catch {
            throw unavailable(error)
        }
        var bound = version
        if let pinned = try pin.map(Self.version(in:)) { bound = min(bound, pinned) }
        if let last = try latest.map(Self.version(in:)) { bound = min(bound, last) }
        guard bound > 0 else { return }
        do {
            _ = try await client.txn(compare: [EtcdCompare(keys.pin, .mod(pin?.modRevision ?? 0), .equal)],
                                     success: [.delete(key: keys.announcements, rangeEnd: keys.announcement(bound))])
        } catch {
            throw unavailable(error)
        }
    }

    /// After an append: compacts when `retention` says it is time. A failure is logged only.
    func compactIfDue() async {
        guard let retention else { return }
        let due = appendsSinceCompaction.withLock { count in
            count += 1
            if count >= retention.every {
                count = 0
                return true
            }
            return false
        }
        guard due else { return }
        do {
            try await compact(keepingLast: retention.keepingLast, compactingRevisions: retention.compactingRevisions)
        } catch {
            logger.warning("announcement log compaction failed; the next one is tried after \(retention.every) appends",
                           metadata: ["error": "\(error)"])
        }
    }
}
