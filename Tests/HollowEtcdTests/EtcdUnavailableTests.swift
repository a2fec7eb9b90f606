import HollowEtcdTesting
import Foundation
import Hollow
@testable import HollowEtcd
import Testing

/// What callers see when etcd is down or frozen.
@Suite struct EtcdUnavailableTests {
    /// etcd stopped: every call fails with a message that names the endpoint and says what to
    /// check, within the client's retry budget; a later start lets the election win.
    @Test func etcdDownAtStartIsAClearUnavailableErrorAndAStartLaterLetsTheElectionWin() async throws {
        try await TimingGate.measuring {
            try await EtcdServer.with { server in
                await server.terminate()
                let configuration = EtcdConnection.Configuration(endpoints: [server.endpoint], requestTimeout: .seconds(1), attempts: 3)
                let client = try EtcdClient(configuration: configuration, logger: quiet)
                // A hang guard, not a timer: refused connections cost no attempt, so a retry loop
                // that ignored its budget would never end. Twice the budget and half a minute of
                // slack keep a loaded CI machine (6.8 s seen against 6.3) from failing it.
                let budget = configuration.retryBudget * 2 + .seconds(30)

                var started = ContinuousClock.now
                do throws(EtcdError) {
                    try await client.put(key: Array("k".utf8), value: [])
                    Issue.record("a put to a stopped etcd succeeded")
                } catch {
                    guard case .unreachable(let endpoints, let reason) = error else { Issue.record("\(error)"); return }
                    #expect(endpoints == [server.endpoint])
                    #expect(reason.contains("refused"), "\(reason)")
                    #expect(error.description.contains("Is etcd running"))
                    #expect(error.description.contains(server.endpoint))
                }
                #expect(ContinuousClock.now - started < budget)

                let election = EtcdLeaderElection(connection: EtcdConnection(client: client), prefix: uniquePrefix(), participantID: "a", logger: quiet)
                started = ContinuousClock.now
                do throws(LeaderElectionError) {
                    _ = try await election.waitForLeadership()
                    Issue.record("won an election on a stopped etcd")
                } catch {
                    guard case .unavailable(let message) = error else { Issue.record("\(error)"); return }
                    #expect(message.contains(server.endpoint) && message.contains("Is etcd running"), "\(message)")
                }
                #expect(ContinuousClock.now - started < budget)
                #expect(try await election.currentLeadership() == nil)

                let log = EtcdAnnouncementLog(connection: EtcdConnection(client: client), prefix: uniquePrefix(), logger: quiet)
                started = ContinuousClock.now
                do throws(AnnouncementLogError) {
                    _ = try await log.history()
                    Issue.record("read a history from a stopped etcd")
                } catch {
                    guard case .unavailable(let message) = error else { Issue.record("\(error)"); return }
                    #expect(message.contains(server.endpoint) && message.contains("unreachable"), "\(message)")
                }
                #expect(ContinuousClock.now - started < budget)

                try await server.restart()
                let leadership = try await election.waitForLeadership()
                #expect(leadership.term > 0)
                await election.resign()
            }
        }
    }

    /// etcd frozen (SIGSTOP): a read times out after its retries; a write is not repeated and says
    /// that its outcome is unknown.
    @Test func aFrozenEtcdTimesOutReadsAndLeavesWritesUnknown() async throws {
        try await EtcdServer.with { server in
            let client = try server.client(timeout: .seconds(1), attempts: 2)
            try await client.put(key: Array("k".utf8), value: Array("1".utf8))
            server.pause()
            defer { server.resume() }
            await #expect(throws: EtcdError.timeout(operation: "range", after: .seconds(1))) {
                try await client.range(key: Array("k".utf8))
            }
            do throws(EtcdError) {
                try await client.put(key: Array("k".utf8), value: Array("2".utf8))
                Issue.record("a put to a frozen etcd succeeded")
            } catch {
                guard case .outcomeUnknown(let operation, _) = error else { Issue.record("\(error)"); return }
                #expect(operation == "put")
            }
            server.resume()
            // Unknown it is: the put sat in etcd's socket, and may or may not be applied on waking.
            let value = try await client.range(key: Array("k".utf8)).kvs.first?.valueText
            #expect(value == "1" || value == "2")
        }
    }
}
