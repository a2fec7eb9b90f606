import Hollow
import Logging

extension EtcdLeaderElection {
    /// While leading: watches the leader key from the revision after the win, and ends the tenure
    /// when the key is deleted (revoked, expired, deleted by hand) or replaced. A cut watch is
    /// opened again with backoff from where it stopped; the lease deadline covers the time without.
    func watchTenure(_ tenure: LeaderTenure) async {
        let term = Int64(clamping: tenure.term)
        var next = term + 1
        var pause = Duration.milliseconds(100)
        while !Task.isCancelled {
            do throws(EtcdError) {
                for try await batch in client.watch(key: leaderKey, startRevision: next) {
                    pause = .milliseconds(100)
                    for event in batch.events {
                        next = event.kv.modRevision + 1
                        if event.kind == .delete {
                            lose(tenure, reason: "the leader key was deleted (lease expired or revoked, or deleted by hand)")
                            return
                        }
                        if event.kv.createRevision != term {
                            lose(tenure, reason: "the leader key was created again by someone else")
                            return
                        }
                    }
                }
            } catch .cancelled {
                return
            } catch .compacted {
                // Events were lost: what the key is now decides.
                do {
                    let now = try await client.range(key: leaderKey)
                    if now.kvs.first?.createRevision != term {
                        lose(tenure, reason: "the leader key is gone or was replaced")
                        return
                    }
                    next = now.header.revision + 1
                } catch {
                    logger.debug("reading the leader key failed", metadata: ["error": "\(error)"])
                }
            } catch {
                logger.debug("leader key watch cut, opening it again", metadata: ["error": "\(error)"])
            }
            do { try await Task.sleep(for: pause) } catch { return }
            pause = min(pause * 2, .seconds(5))
        }
    }
}
