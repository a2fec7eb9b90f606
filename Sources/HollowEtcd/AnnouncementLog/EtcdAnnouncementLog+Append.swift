import Hollow
import Logging

extension EtcdAnnouncementLog {
    /// One transaction: when `<prefix>/latest` is as last seen (and, fenced, the leader key was
    /// created at the announcement's term), put the announcement and the new latest version.
    ///
    /// The version check is a compare-and-swap on `latest`'s MOD revision rather than `VALUE LESS`
    /// than the new 20-digit version: a value comparison never holds on a missing key (etcd's
    /// rule), so the first append would need another transaction, whereas MOD == 0 means "absent";
    /// and the mod revision of a producer's own last append is the revision its transaction made,
    /// known without a read, so a producer's steady state is one request. The version itself is
    /// checked against the value read with that revision. When the transaction fails, its failure
    /// branch reads the leader key and `latest` in the same step, and the error says which check
    /// refused it.
    public func append(_ announcement: Announcement) async throws(AnnouncementLogError) {
        let key = keys.announcement(announcement.version)
        let value = try Self.encode(announcement, key: key)
        var latest = try await knownLatest()
        // A term no int64 revision can equal is fenced by etcd just the same (the compare fails).
        let term = Int64(clamping: announcement.term)
        // A transaction that got no answer and is not in the log when read back (etcd electing a
        // new leader, say) is sent once more: its compare on `latest` keeps it from applying twice,
        // and if the first one lands meanwhile, the second finds its own announcement there.
        var resent = false
        while true {
            if resent, let last = latest.version, announcement.version <= last,
               try await settleUnknownOutcome(of: announcement, key: key, value: value, reason: "sent again") {
                return
            }
            if let last = latest.version, announcement.version <= last {
                // A deposed leader is told it is deposed first: that is what it must act on.
                if fenced { try await checkFencing(term: term, of: announcement) }
                throw .versionNotIncreasing(version: announcement.version, last: last)
            }
            // Terms never go back along the log. Within one etcd cluster the leader key's creation
            // revision only grows, but a log copied to another cluster (a restore, a mirror) can
            // meet leaders whose revisions are lower than the terms it holds.
            if let last = latest.version {
                let lastTerm = try await termOfLatest(last, latest: &latest)
                if announcement.term < lastTerm { throw .fenced(term: announcement.term, currentTerm: lastTerm) }
            }
            var compare = [EtcdCompare(keys.latest, .mod(latest.modRevision), .equal)]
            if fenced { compare.append(EtcdCompare(keys.leader, .create(term), .equal)) }
            let response: EtcdTxnResponse
            do {
                response = try await client.txn(
                    compare: compare,
                    success: [.put(key: key, value: value), .put(key: keys.latest, value: AnnouncementKeys.digits(announcement.version))],
                    failure: [.range(key: keys.leader), .range(key: keys.latest)])
            } catch .outcomeUnknown(_, let reason) {
                if try await settleUnknownOutcome(of: announcement, key: key, value: value, reason: reason) { return }
                guard !resent else {
                    throw .unavailable("etcd at \(client.endpoints.joined(separator: ", ")): the append of version \(announcement.version) "
                        + "got no answer twice (\(reason)) and is not in the log now; it was not applied, or is still in flight")
                }
                resent = true
                latest = try await knownLatest()
                continue
            } catch {
                throw unavailable(error)
            }
            if response.succeeded {
                cache.latest.withLock { $0 = .init(version: announcement.version, modRevision: response.header.revision, term: announcement.term) }
                await compactIfDue()
                return
            }
            let leader = response.range(at: 0)?.kvs.first
            if fenced, leader?.createRevision != term {
                throw .fenced(term: announcement.term, currentTerm: leader.map { UInt64($0.createRevision) })
            }
            // `latest` moved since it was last seen: check against what it is now, and try again.
            latest = try Self.latest(response.range(at: 1)?.kvs.first)
            cache.latest.withLock { $0 = latest }
        }
    }

    /// Throws `.fenced` unless the leader key was created at `term`.
    private func checkFencing(term: Int64, of announcement: Announcement) async throws(AnnouncementLogError) {
        let leader: EtcdKeyValue?
        do { leader = try await client.range(key: keys.leader).kvs.first } catch { throw unavailable(error) }
        if leader?.createRevision != term {
            throw .fenced(term: announcement.term, currentTerm: leader.map { UInt64($0.createRevision) })
        }
    }

    /// The term of the announcement of `version` (the latest), read once and then kept with `latest`.
    private func termOfLatest(_ version: UInt64, latest: inout AnnouncementCache.Latest) async throws(AnnouncementLogError) -> UInt64 {
        if let term = latest.term { return term }
        let response: EtcdRangeResponse
        do { response = try await client.range(key: keys.announcement(version)) } catch { throw unavailable(error) }
        guard let kv = response.kvs.first else {
            throw .corrupt(path: AnnouncementKeys.text(keys.latest), line: 0, message: "names version \(version), which has no announcement")
        }
        let term = try Self.decode(kv, keys: keys).term
        latest.term = term
        let known = latest
        cache.latest.withLock { cached in if cached?.modRevision == known.modRevision { cached = known } }
        return term
    }

    /// `latest` as last seen by this log, else as etcd has it now.
    private func knownLatest() async throws(AnnouncementLogError) -> AnnouncementCache.Latest {
        if let known = cache.latest.withLock({ $0 }) { return known }
        let response: EtcdRangeResponse
        do { response = try await client.range(key: keys.latest) } catch { throw unavailable(error) }
        let latest = try Self.latest(response.kvs.first)
        cache.latest.withLock { $0 = latest }
        return latest
    }

    private static func latest(_ kv: EtcdKeyValue?) throws(AnnouncementLogError) -> AnnouncementCache.Latest {
        guard let kv else { return .init(version: nil, modRevision: 0) }
        return .init(version: try version(in: kv), modRevision: kv.modRevision)
    }

    /// The transaction was sent but its answer lost: read back. Exactly this announcement at its
    /// version means it was applied; anything else is reported.
    /// True when it was applied; false when the version is not in the log (not applied, or still
    /// in flight); an error when another announcement holds the version.
    func settleUnknownOutcome(of announcement: Announcement, key: [UInt8], value: [UInt8],
                                      reason: String) async throws(AnnouncementLogError) -> Bool {
        logger.warning("append outcome unknown, reading back", metadata: ["version": "\(announcement.version)", "reason": "\(reason)"])
        cache.latest.withLock { $0 = nil }
        let stored: EtcdRangeResponse
        do { stored = try await client.range(key: key) } catch { throw unavailable(error) }
        guard let kv = stored.kvs.first else { return false }
        if kv.value == value { return true }
        let other = try Self.decode(kv, keys: keys)
        if fenced, other.term != announcement.term {
            throw .fenced(term: announcement.term, currentTerm: nil)
        }
        throw .versionNotIncreasing(version: announcement.version, last: other.version)
    }
}
