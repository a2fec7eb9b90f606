import Atomics
import Foundation
import Logging
import Synchronization

/// Leader election through a lease file: for a leader and standbys on one host, or on hosts that
/// share a volume with working `flock` (NFSv4, say).
///
///     let lease = try LeaseFile(path: "/var/lib/catalog/leader.lease")
///     let log = try FileSystemAnnouncementLog(file: "/var/lib/catalog/announcements.jsonl", fencedBy: lease)
///     let election = FileLeaderElection(lease: lease, leaseDuration: .seconds(5), announcementLog: log)
///
/// A campaign takes the lease when nobody holds it or it ran out, with the term one above the last
/// one. The leader renews it every third of its length; a standby looks at it every `pollInterval`.
/// A leader that is killed is replaced once its lease runs out; one that is paused past its lease
/// sees on waking that it no longer leads, and the fenced log refuses its announcement anyway.
public final class FileLeaderElection: LeaderElection {
    public let lease: LeaseFile
    public let participantID: String
    public let leaseDuration: Duration
    /// How often a standby looks whether the lease ran out.
    public let pollInterval: Duration
    /// The log these producers announce to: a campaign takes a term above its last one too.
    public let announcementLog: (any AnnouncementLog)?
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var leadership: Leadership?
        /// Local end of the lease: when the last successful renewal started, plus the lease. A
        /// monotonic clock, so that a process paused past it sees it passed on waking.
        var validUntil: ContinuousClock.Instant = .now
        var renewal: RenewalThread?
    }

    /// - Parameters:
    ///   - lease: the lease file the producers share.
    ///   - participantID: names this producer in the lease file and the logs; by default the host
    ///     name and process id.
    ///   - leaseDuration: how long a leader that stops renewing (killed, paused, cut off) keeps the
    ///     lease; the longest takeover. At least 30 ms.
    ///   - pollInterval: how often a standby looks (default: a fifth of the lease, 10 ms to 1 s).
    ///   - announcementLog: the log the producers announce to. The log refuses a term below its
    ///     last one; with it, a lease file that was deleted (terms start again at 1) costs nothing,
    ///     since a campaign then takes a term above the log's.
    ///   - logger: where taking, losing, renewing and giving up the lease are logged.
    public init(lease: LeaseFile, participantID: String = Producer.Configuration.defaultProducerID,
                leaseDuration: Duration = .seconds(5), pollInterval: Duration? = nil,
                announcementLog: (any AnnouncementLog)? = nil,
                logger: Logger = Logger(label: "hollow.election")) {
        precondition(leaseDuration >= .milliseconds(30), "the lease lasts at least 30 ms")
        self.lease = lease
        self.participantID = participantID
        self.leaseDuration = leaseDuration
        self.pollInterval = pollInterval ?? min(max(leaseDuration / 5, .milliseconds(10)), .seconds(1))
        self.announcementLog = announcementLog
        var logger = logger
        logger[metadataKey: "participant"] = "\(participantID)"
        self.logger = logger
    }

    deinit {
        state.withLock { $0.renewal?.cancel() }
    }

    public func currentLeadership() async throws(LeaderElectionError) -> Leadership? {
        let (leadership, expired) = state.withLock { state -> (Leadership?, Leadership?) in
            guard let leadership = state.leadership else { return (nil, nil) }
            guard ContinuousClock.now < state.validUntil else {
                state.leadership = nil
                state.renewal?.cancel()
                state.renewal = nil
                return (nil, leadership)
            }
            return (leadership, nil)
        }
        if let expired { logger.warning("lease ran out before it was renewed: no longer the leader", metadata: ["term": "\(expired.term)"]) }
        return leadership
    }

    public func waitForLeadership() async throws(LeaderElectionError) -> Leadership {
        // When the lease file was lost while the log holds elected terms, a leader may still think
        // it leads (until its next renewal finds no lease): its term could be the very one this
        // campaign would take. Wait one whole lease from then, so that it has seen it is deposed.
        var leaseMissingSince: ContinuousClock.Instant?
        while true {
            if let leadership = try await currentLeadership() { return leadership }
            // Read before the lease's lock is taken; an unreadable log gives no floor (an append
            // with a term below the log's is refused, and the next campaign reads it again).
            let logTerm = try? await announcementLog?.history().latest?.term
            let started = ContinuousClock.now
            let now = LeaseFile.nowMilliseconds()
            let leaseMilliseconds = leaseDuration.milliseconds
            let participantID = participantID
            let waitedOutMissingLease = leaseMissingSince.map { started - $0 >= leaseDuration } ?? false
            var foundLeaseMissing = false
            let attempt = try lease.update(durable: true) { (record) throws(LeaderElectionError) -> (LeaseFile.Record?, (term: UInt64?, wait: Int64)) in
                if let record, record.isValid(atMilliseconds: now) {
                    return (nil, (nil, record.expiresAtMilliseconds - now))
                }
                if record == nil, (logTerm ?? 0) > 0, !waitedOutMissingLease {
                    foundLeaseMissing = true
                    return (nil, (nil, leaseMilliseconds))
                }
                let term = max(record?.term ?? 0, logTerm ?? 0) + 1
                return (LeaseFile.Record(term: term, holder: participantID, expiresAtMilliseconds: now + leaseMilliseconds), (term, 0))
            }
            if foundLeaseMissing && leaseMissingSince == nil {
                leaseMissingSince = started
                logger.warning("the lease file was lost while the log holds elected terms: waiting one lease before campaigning",
                               metadata: ["lastTerm": "\(logTerm ?? 0)"])
            }
            // A busy lock is held for the milliseconds of a renewal or an append: look again soon.
            let won = attempt ?? (term: nil, wait: 5)
            if let term = won.term {
                let leadership = Leadership(term: term)
                state.withLock { state in
                    state.leadership = leadership
                    state.validUntil = started + leaseDuration
                    state.renewal?.cancel()
                    state.renewal = RenewalThread(every: leaseDuration / 3) { [weak self] in
                        self?.renewOnce(leadership) ?? false
                    }
                }
                logger.notice("took the lease: now the leader", metadata: ["term": "\(term)"])
                return leadership
            }
            // Wake up just after the holder's lease would run out, or at the next poll.
            let wait = min(pollInterval, .milliseconds(max(won.wait + 1, 1)))
            do { try await Task.sleep(for: wait) } catch { throw .cancelled }
        }
    }

    public func resign() async {
        let leadership = state.withLock { state -> Leadership? in
            let leadership = state.leadership
            state.leadership = nil
            state.renewal?.cancel()
            state.renewal = nil
            return leadership
        }
        guard let leadership else { return }
        let participantID = participantID
        do {
            // The lock is busy for milliseconds at a time: try for about half a second (on the
            // clock, not with Task.sleep, which a cancelled shutdown task skips).
            let deadline = ContinuousClock.now + .milliseconds(500)
            while true {
                let released = try lease.update(durable: true) { (record) throws(LeaderElectionError) -> (LeaseFile.Record?, Bool) in
                    guard var record, record.term == leadership.term, record.holder == participantID else { return (nil, false) }
                    record.expiresAtMilliseconds = 0  // keeps the term: the next leader's is one above
                    return (record, true)
                }
                if let released {
                    if released { logger.notice("resigned", metadata: ["term": "\(leadership.term)"]) }
                    return
                }
                guard ContinuousClock.now < deadline else { break }
                usleep(2000)
            }
            logger.warning("resigning: the lease file stayed locked; the lease runs out by itself", metadata: ["term": "\(leadership.term)"])
        } catch {
            logger.warning("resigning: the lease could not be released; it runs out by itself", metadata: ["error": "\(error)"])
        }
    }

    /// Stops renewing without resigning, as a paused or cut-off process does (for tests).
    func stopRenewing() {
        state.withLock { $0.renewal?.cancel() }
    }

    /// Renews the lease once if it is still ours and still valid; false when it is lost (the
    /// renewals stop).
    private func renewOnce(_ leadership: Leadership) -> Bool {
        let started = ContinuousClock.now
        let now = LeaseFile.nowMilliseconds()
        let leaseMilliseconds = leaseDuration.milliseconds
        let participantID = participantID
        do {
            let renewed = try lease.update(durable: false) { (record) throws(LeaderElectionError) -> (LeaseFile.Record?, Bool) in
                // A lease that ran out is not revived: a standby may be taking it now.
                guard var record, record.term == leadership.term, record.holder == participantID,
                      record.isValid(atMilliseconds: now) else { return (nil, false) }
                record.expiresAtMilliseconds = now + leaseMilliseconds
                return (record, true)
            }
            // Busy: another process holds the lock for a moment. Try again soon (this is the
            // renewal thread), while the lease may still be saved.
            guard let renewed else {
                guard ContinuousClock.now < state.withLock({ $0.validUntil }) else { return true }
                usleep(2000)
                return renewOnce(leadership)
            }
            let lost = state.withLock { state -> Bool in
                guard state.leadership == leadership else { return false }
                if renewed {
                    state.validUntil = started + leaseDuration
                    return false
                }
                state.leadership = nil
                return true
            }
            if lost { logger.warning("the lease is no longer ours: no longer the leader", metadata: ["term": "\(leadership.term)"]) }
            return renewed
        } catch {
            // The lease runs out by itself if this goes on; currentLeadership() sees to that.
            logger.warning("renewing the lease failed", metadata: ["error": "\(error)", "term": "\(leadership.term)"])
            return true
        }
    }
}
