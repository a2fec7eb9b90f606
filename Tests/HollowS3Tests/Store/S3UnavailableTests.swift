import Hollow
@testable import HollowS3
import HollowS3Testing
import HollowTesting
import Testing

/// What callers see when the server is down, frozen or failing, and how the store's retries
/// ride it out within their budget.
@Suite struct S3UnavailableTests {
    /// A stopped server: every call fails within the retry budget with a message that names the
    /// endpoint and says what to check; once the server is back (empty, as moto restarts) the
    /// same store works again.
    @Test func aStoppedServerIsUnreachableWithinTheBudgetAndAStartLaterWorks() async throws {
        try await MotoServer.with { moto in
            let store = try await moto.newStore("down") { configuration in
                configuration.requestTimeout = .seconds(2)
                configuration.attempts = 3
            }
            try await store.put(blob("snapshot-1"), [1, 2, 3])
            await moto.terminate()
            // A hang guard, not a timer: a retry loop that ignored its budget would never end.
            // The slack keeps a loaded CI machine from failing it.
            let budget = store.configuration.retryBudget * 2 + .seconds(30)
            for call in [{ _ = try await store.get(blob("snapshot-1")) }, { try await store.put(blob("snapshot-2"), [1]) },
                         { _ = try await store.list() }] as [() async throws -> Void] {
                let started = ContinuousClock.now
                do {
                    try await call()
                    Issue.record("a call to a stopped server worked")
                } catch let error as BlobStoreError {
                    guard case .unavailable(let message) = error else { Issue.record("\(error)"); continue }
                    #expect(message.contains("unreachable at \(moto.endpoint)") && message.contains("refused"), "\(message)")
                    #expect(message.contains("3 attempts"), "\(message)")
                }
                #expect(ContinuousClock.now - started < budget)
            }
            try await moto.restart()
            try await moto.createBucket(store.configuration.bucket)
            try await store.put(blob("snapshot-1"), [4])
            #expect(try await store.get(blob("snapshot-1"), expectedSize: 1) == [4])
        }
    }

    /// A frozen server (SIGSTOP: connections accepted, nothing answered): the first tries time
    /// out, and a try after the server wakes, within the budget, gets the blob. The server is
    /// woken only once the store's own log shows a try that timed out, so a loaded machine that
    /// starts the get late cannot make it the first try answered (moto, a Python server, logs
    /// the requests it answered late too slowly to count on).
    @Test func aFrozenServerIsRiddenOutByRetriesAfterTimeouts() async throws {
        try await MotoServer.with { moto in
            let log = RecordedLog()
            let store = try await moto.newStore("frozen") { configuration in
                configuration.requestTimeout = .seconds(2)
                configuration.attempts = 10
                configuration.backoff = .init(initial: .milliseconds(200), maximum: .milliseconds(400))
            }
            let logged = try S3BlobStore(configuration: store.configuration, logger: log.logger())
            let bytes = randomBytes(5000, seed: 21)
            try await logged.put(blob("snapshot-1"), bytes)
            moto.pause()
            let get = Task { try await logged.get(blob("snapshot-1"), expectedSize: bytes.count) }
            let retried = { log.messages.filter { $0.message == "S3 request failed, trying again" } }
            // Far past the 2 s timeout: in a loaded CI run's first minute, no try had ended within 15 s.
            let deadline = ContinuousClock.now + .seconds(45)
            while retried().isEmpty && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            let retriesWhileFrozen = retried()
            moto.resume()
            #expect(try await get.value == bytes)
            #expect(!retriesWhileFrozen.isEmpty, "no try timed out within 45 s of a frozen server")
            #expect(retried().allSatisfy { $0.reason == "no answer within the request timeout" }, "\(retried())")
        }
    }

    /// A real 500 from the server (moto fails on a part number that is not a number): the
    /// client tries `attempts` times, then reports the last answer.
    @Test func aServerErrorIsTriedAgainThenReported() async throws {
        let moto = try await MotoServer.shared()
        let store = try await moto.newStore("five-hundred") { $0.attempts = 3 }
        try await store.put(blob("snapshot-1"), [1])
        let key = "snapshot-1"
        do {
            _ = try await store.client.send(S3Request(.getObject, .GET, key: key, query: [.init("partNumber", "not-a-number")]))
            Issue.record("moto answered a part number that is not a number")
        } catch {
            guard case .unavailable(.getObject, let reason, 3) = error else { Issue.record("\(error)"); return }
            #expect(reason.hasPrefix("HTTP 500"), "\(reason)")
        }
        let tries = moto.requests().filter { $0.target.hasPrefix("/\(store.configuration.bucket)/\(key)?partNumber=not-a-number") }
        #expect(tries.map(\.status) == [500, 500, 500])
    }
}
