import Hollow
import Logging

extension EtcdLeaderElection {
    /// Grants a lease and campaigns until this participant leads; between tries it watches the
    /// leader key until it goes.
    func campaign() async throws(LeaderElectionError) -> Leadership {
        var lease = try await grantLease()
        var closingSince: ContinuousClock.Instant?
        var pause = Duration.milliseconds(100)
        do throws(LeaderElectionError) {
            while true {
                if Task.isCancelled { throw .cancelled }
                if lease.lossReason != nil {
                    // The waiting lasted longer than the lease (etcd was stopped, say): a new one.
                    lease.stop()
                    lease = try await grantLease()
                }
                let response: EtcdTxnResponse
                do {
                    response = try await client.txn(
                        compare: [EtcdCompare(leaderKey, .create(0), .equal)],
                        success: [.put(key: leaderKey, value: Array(participantID.utf8), lease: lease.id)],
                        failure: [.range(key: leaderKey)])
                } catch .outcomeUnknown(let operation, let reason) {
                    // It may have won: the next try reads the key and recognises the lease.
                    logger.warning("campaign outcome unknown, trying again", metadata: ["operation": "\(operation)", "reason": "\(reason)"])
                    continue
                } catch .server(_, 5, _) {
                    lease.stop()  // "lease not found": it expired in etcd; another one
                    lease = try await grantLease()
                    continue
                } catch {
                    // etcd going down or coming back answers "transport is closing" (gRPC 14) or
                    // "client connection is closing" (gRPC 1): the txn may or may not have been
                    // applied. Ride it out within the retry budget; the next try reads the key and
                    // recognises the lease if it won.
                    if case .server(_, let code, _) = error, code == 14 || code == 1 {
                        let since = closingSince ?? ContinuousClock.now
                        closingSince = since
                        if ContinuousClock.now - since < client.configuration.retryBudget {
                            logger.info("etcd is closing connections; campaigning again", metadata: ["error": "\(error)"])
                            do { try await Task.sleep(for: pause) } catch { throw .cancelled }
                            pause = min(pause * 2, .seconds(2))
                            continue
                        }
                    }
                    throw Self.unavailable(error, client)
                }
                closingSince = nil
                pause = .milliseconds(100)
                if response.succeeded {
                    guard lease.lossReason == nil else {
                        // Won with a lease already past its deadline (the answer came late): the
                        // key goes with the lease, and the next try uses a fresh one.
                        abandonLease(lease)
                        lease = try await grantLease()
                        continue
                    }
                    return won(term: response.header.revision, lease: lease)
                }
                guard let leader = response.range(at: 0)?.kvs.first else { continue }
                if leader.lease == lease.id {
                    // An earlier try whose answer was lost did win.
                    return won(term: leader.createRevision, lease: lease)
                }
                logger.info("another participant leads; waiting for it to go", metadata: [
                    "leader": "\(leader.valueText ?? "?")", "term": "\(leader.createRevision)",
                ])
                try await waitUntilGone(createRevision: leader.createRevision, from: response.header.revision + 1)
            }
        } catch {
            abandonLease(lease)
            throw error
        }
    }

    /// Stops keeping `lease` alive and revokes it in the background (best effort: unrevoked, it
    /// expires after its TTL).
    private func abandonLease(_ lease: LeaseKeeper) {
        lease.stop()
        let client = client
        let id = lease.id
        Task { try? await client.revokeLease(id) }
    }

    private func won(term revision: Int64, lease: LeaseKeeper) -> Leadership {
        let tenure = LeaderTenure(term: UInt64(revision), lease: lease)
        install(tenure)
        lease.whenLost { [weak self, weak tenure] reason in
            if let self, let tenure { self.lose(tenure, reason: reason) }
        }
        tenure.setWatcher(Task { [weak self] in await self?.watchTenure(tenure) })
        logger.info("leading", metadata: ["term": "\(tenure.term)", "lease": "\(lease.id)", "ttl": "\(lease.ttl)"])
        return Leadership(term: tenure.term)
    }

    private func grantLease() async throws(LeaderElectionError) -> LeaseKeeper {
        var pause = Duration.milliseconds(100)
        let deadline = ContinuousClock.now + client.configuration.retryBudget
        while true {
            let sentAt = ContinuousClock.now
            let granted: EtcdLease
            do { granted = try await client.grantLease(ttl: leaseTTLSeconds) } catch {
                // etcd going down or coming back answers "transport is closing" (gRPC 14) or
                // "client connection is closing" (gRPC 1), resets the connection of a grant it
                // may have made, or refuses connections for a moment. Asking again is safe: a
                // lease granted meanwhile holds no key and expires by itself. Ride it out within
                // the budget.
                if Self.mayAskForALeaseAgain(error), ContinuousClock.now < deadline {
                    logger.info("etcd is restarting or closing connections; asking for a lease again", metadata: ["error": "\(error)"])
                    do { try await Task.sleep(for: pause) } catch { throw .cancelled }
                    pause = min(pause * 2, .seconds(2))
                    continue
                }
                throw Self.unavailable(error, client)
            }
            let lease = LeaseKeeper(lease: granted, sentAt: sentAt, client: client, logger: logger)
            lease.start()
            return lease
        }
    }

    /// Whether a lease grant that failed with `error` may be asked for again: etcd was closing
    /// connections, or the grant's outcome is unknown, or etcd could not be reached. Not an
    /// authentication or TLS failure, a malformed answer or another server error.
    static func mayAskForALeaseAgain(_ error: EtcdError) -> Bool {
        switch error {
        case .server(_, let code, _): code == 14 || code == 1
        case .outcomeUnknown, .timeout, .unreachable, .disconnected: true
        default: false
        }
    }

    /// Returns once the leader key created at `createRevision` is deleted or replaced, watching
    /// from `revision` (nothing in between is missed). A cut watch is opened again from where it
    /// stopped, for as long as the client's retry budget (an etcd restart is ridden out; a longer
    /// outage is `.unavailable`); a compacted one returns (the next campaign reads the key again).
    private func waitUntilGone(createRevision: Int64, from revision: Int64) async throws(LeaderElectionError) {
        var next = revision
        var pause = Duration.milliseconds(100)
        var outageStart: ContinuousClock.Instant?
        while true {
            do throws(EtcdError) {
                for try await batch in client.watch(key: leaderKey, startRevision: next) {
                    pause = .milliseconds(100)
                    outageStart = nil
                    for event in batch.events {
                        next = event.kv.modRevision + 1
                        if event.kind == .delete || event.kv.createRevision != createRevision { return }
                    }
                }
            } catch .compacted {
                return
            } catch .cancelled {
                throw .cancelled
            } catch {
                let start = outageStart ?? ContinuousClock.now
                outageStart = start
                guard ContinuousClock.now - start < client.configuration.retryBudget else { throw Self.unavailable(error, client) }
                logger.info("leader watch cut, opening it again", metadata: ["error": "\(error)"])
                do { try await Task.sleep(for: pause) } catch { throw .cancelled }
                pause = min(pause * 2, .seconds(2))
            }
        }
    }
}
