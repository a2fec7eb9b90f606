import HollowEtcdTesting
import AsyncHTTPClient
import Foundation
import HollowTesting
import NIOCore
@testable import HollowEtcd
import Testing

/// Round trips of every client call against a real etcd.
@Suite struct EtcdClientTests {
    @Test func putRangeAndDeleteRoundTrip() async throws {
        try await EtcdServer.with { server in
            let client = try server.client()
            let prefix = uniquePrefix()
            let first = try await client.put(key: "\(prefix)/a".bytes, value: "one".bytes)
            let second = try await client.put(key: "\(prefix)/b".bytes, value: [0, 255, 10])
            #expect(second.revision == first.revision + 1)

            let one = try await client.range(key: "\(prefix)/a".bytes)
            #expect(one.kvs.count == 1)
            #expect(one.kvs[0].valueText == "one")
            #expect(one.kvs[0].createRevision == first.revision)
            #expect(one.kvs[0].modRevision == first.revision)
            #expect(one.kvs[0].version == 1)

            let all = try await client.range(key: "\(prefix)/".bytes, rangeEnd: EtcdClient.prefixEnd("\(prefix)/".bytes))
            #expect(all.kvs.map(\.keyText) == ["\(prefix)/a", "\(prefix)/b"])
            #expect(all.kvs[1].value == [0, 255, 10])
            #expect(all.count == 2 && !all.more)

            let limited = try await client.range(key: "\(prefix)/".bytes, rangeEnd: EtcdClient.prefixEnd("\(prefix)/".bytes), limit: 1)
            #expect(limited.kvs.count == 1 && limited.more && limited.count == 2)

            let missing = try await client.range(key: "\(prefix)/nothing".bytes)
            #expect(missing.kvs.isEmpty && missing.count == 0)
            #expect(missing.header.revision == second.revision)

            // An older revision, then the same after compaction.
            _ = try await client.put(key: "\(prefix)/a".bytes, value: "two".bytes)
            #expect(try await client.range(key: "\(prefix)/a".bytes, revision: first.revision).kvs[0].valueText == "one")

            let deleted = try await client.delete(key: "\(prefix)/".bytes, rangeEnd: EtcdClient.prefixEnd("\(prefix)/".bytes))
            #expect(deleted.deleted == 2)
            #expect(try await client.delete(key: "\(prefix)/a".bytes).deleted == 0)
        }
    }

    @Test func transactionsCompareAndReportTheBranchTaken() async throws {
        try await EtcdServer.with { server in
            let client = try server.client()
            let key = "\(uniquePrefix())/leader".bytes
            // Create only if absent.
            let created = try await client.txn(compare: [EtcdCompare(key, .create(0), .equal)],
                                               success: [.put(key: key, value: "me".bytes)],
                                               failure: [.range(key: key)])
            #expect(created.succeeded)
            #expect(created.responses == [.put(EtcdResponseHeader(revision: created.header.revision))])

            // A failed transaction has no `succeeded` field: it reads as false, with the failure branch.
            let refused = try await client.txn(compare: [EtcdCompare(key, .create(0), .equal)],
                                               success: [.put(key: key, value: "you".bytes)],
                                               failure: [.range(key: key)])
            #expect(!refused.succeeded)
            let current = try #require(refused.range(at: 0))
            #expect(current.kvs.first?.valueText == "me")
            #expect(current.kvs.first?.createRevision == created.header.revision)

            // MOD, VERSION, VALUE, with each result: the key's (stored "me") <result> the given one.
            let checks: [(EtcdCompare, Bool)] = [
                (EtcdCompare(key, .mod(created.header.revision), .equal), true),
                (EtcdCompare(key, .mod(created.header.revision), .notEqual), false),
                (EtcdCompare(key, .version(0), .greater), true),
                (EtcdCompare(key, .version(1), .less), false),
                (EtcdCompare(key, .value("mf".bytes), .greater), false),
                (EtcdCompare(key, .value("mf".bytes), .less), true),
                (EtcdCompare(key, .value("md".bytes), .greater), true),
                (EtcdCompare(key, .create(created.header.revision + 1), .less), true),
                // A value comparison on a missing key never holds.
                (EtcdCompare("\(key)-missing".bytes, .value("zzz".bytes), .less), false),
            ]
            for (compare, expected) in checks {
                let response = try await client.txn(compare: [compare], success: [])
                #expect(response.succeeded == expected, "\(compare)")
            }

            let deleted = try await client.txn(compare: [EtcdCompare(key, .value("me".bytes), .equal)], success: [.delete(key: key)])
            #expect(deleted.responses == [.delete(EtcdDeleteResponse(header: deleted.header, deleted: 1))])
        }
    }

    @Test func leasesAreGrantedKeptAliveAndRevoked() async throws {
        try await EtcdServer.with { server in
            let client = try server.client()
            let key = "\(uniquePrefix())/leased".bytes
            // etcd raises a TTL below its minimum: 1 s is granted as 2 s with default settings.
            let short = try await client.grantLease(ttl: 1)
            #expect(short.ttl == 2)
            // Long enough to outlast a loaded machine's pauses between the calls below.
            let lease = try await client.grantLease(ttl: 60)
            #expect(lease.ttl == 60)
            try await client.put(key: key, value: "x".bytes, lease: lease.id)
            #expect(try await client.range(key: key).kvs.first?.lease == lease.id)
            #expect(try await client.keepAlive(lease: lease.id) == 60)
            try await client.revokeLease(lease.id)
            #expect(try await client.range(key: key).kvs.isEmpty)
            // A lease that is gone: the keep-alive answers TTL 0; a revoke is refused (not found).
            #expect(try await client.keepAlive(lease: lease.id) == 0)
            await #expect(throws: EtcdError.server(operation: "lease revoke", code: 5, message: "etcdserver: requested lease not found")) {
                try await client.revokeLease(lease.id)
            }
            await #expect(throws: EtcdError.server(operation: "put", code: 5, message: "etcdserver: requested lease not found")) {
                try await client.put(key: key, value: "x".bytes, lease: lease.id)
            }
            // An unkept lease expires: its keys go. (On a loaded machine it may be gone before the
            // put: etcd refusing the lease shows the same.)
            let expiring = try await client.grantLease(ttl: 1)
            do { try await client.put(key: key, value: "y".bytes, lease: expiring.id) } catch EtcdError.server(_, code: 5, _) {}
            #expect(try await eventually { try await client.range(key: key).kvs.isEmpty })
        }
    }

    @Test func aWatchSeesPutsAndDeletesFromItsStartRevision() async throws {
        try await EtcdServer.with { server in
            let client = try server.client()
            let prefix = uniquePrefix()
            let before = try await client.put(key: "\(prefix)/early".bytes, value: "1".bytes)
            var iterator = client.watch(key: "\(prefix)/".bytes, rangeEnd: EtcdClient.prefixEnd("\(prefix)/".bytes),
                                        startRevision: before.revision).makeAsyncIterator()
            let created = try #require(try await iterator.next())
            #expect(created.created && created.events.isEmpty)
            var events: [EtcdWatchEvent] = []
            while events.isEmpty {
                events += try #require(try await iterator.next()).events
            }
            #expect(events.first?.kind == .put)
            #expect(events.first?.kv.keyText == "\(prefix)/early")
            #expect(events.first?.kv.valueText == "1")

            try await client.put(key: "\(prefix)/late".bytes, value: "2".bytes)
            try await client.delete(key: "\(prefix)/early".bytes)
            events = []
            while events.count < 2 { events += try #require(try await iterator.next()).events }
            #expect(events.map(\.kind) == [.put, .delete])
            #expect(events.map(\.kv.keyText) == ["\(prefix)/late", "\(prefix)/early"])
            #expect(events[1].kv.value.isEmpty)
        }
    }

    @Test func aWatchFromACompactedRevisionFailsWithTheOldestRevisionKept() async throws {
        try await EtcdServer.with { server in
            let client = try server.client()
            let key = "\(uniquePrefix())/k".bytes
            let first = try await client.put(key: key, value: "1".bytes)
            let last = try await client.put(key: key, value: "2".bytes)
            struct CompactionRequest: Encodable { var revision: String }
            _ = try await client.send(EtcdOperation(name: "compact", path: "/v3/kv/compaction", safeToRepeat: false),
                                      CompactionRequest(revision: String(last.revision)))
            await #expect(throws: EtcdError.compacted(revision: last.revision)) {
                for try await _ in client.watch(key: key, startRevision: first.revision) {}
            }
            // etcd cancels the watch but keeps the stream open: the client closes it.
            #expect(try await eventually { try await server.watchStreams() == 0 })
            await #expect(throws: EtcdError.compacted(revision: first.revision)) {
                try await client.range(key: key, revision: first.revision)
            }
        }
    }

    @Test func cancellingTheReaderClosesTheWatchStream() async throws {
        try await EtcdServer.with { server in
            let client = try server.client()
            let key = "\(uniquePrefix())/k".bytes
            let started = AsyncStream<Void>.makeStream()
            let reader = Task {
                var iterator = client.watch(key: key).makeAsyncIterator()
                _ = try await iterator.next()
                started.continuation.yield()
                _ = try await iterator.next()
            }
            for await _ in started.stream { break }
            #expect(try await eventually { try await server.watchStreams() == 1 })
            reader.cancel()
            await #expect(throws: EtcdError.cancelled) { try await reader.value }
            // etcd sees the stream go. Its gateway may notice a closed connection only when it
            // next writes to it: a change of the key makes it write, which fails on a closed
            // connection and still succeeds on an open one.
            // Known, intermittent (2 of about 10 full runs on 2026-12-06, writes or not): the
            // stream stayed open for the whole minute, as if AsyncHTTPClient kept the connection
            // of a response whose reading was cancelled. Not yet understood; see docs/ETCD.md.
            await withKnownIssue("a cancelled watch's stream sometimes stays open", isIntermittent: true) { () async throws in
                let closed = try await eventually {
                    try await client.put(key: key, value: [])
                    return try await server.watchStreams() == 0
                }
                #expect(closed)
            }
        }
    }

    /// Each watch holds a connection; `HTTPClient.shared` keeps at most 8 per host, so watches go
    /// over a client of their own and requests still get through beside a dozen of them.
    @Test func manyOpenWatchesDoNotHoldUpRequests() async throws {
        try await EtcdServer.with { server in
            let client = try server.client(timeout: .seconds(5), attempts: 1)
            let prefix = uniquePrefix()
            var watches: [Task<Void, any Error>] = []
            for index in 0..<12 {
                watches.append(Task { for try await _ in client.watch(key: Array("\(prefix)/\(index)".utf8)) {} })
            }
            defer { for watch in watches { watch.cancel() } }
            #expect(try await eventually { try await server.watchStreams() == 12 })
            try await client.put(key: Array("\(prefix)/x".utf8), value: [1])
            #expect(try await client.range(key: Array("\(prefix)/x".utf8)).kvs.count == 1)
        }
    }

    @Test func requestsMoveToTheNextEndpointWhenOneIsDown() async throws {
        try await EtcdServer.with { server in
            let closed = try ClosedPort()
            defer { withExtendedLifetime(closed) {} }
            let dead = closed.endpoint
            let client = try EtcdClient(configuration: .init(endpoints: [dead, server.endpoint], requestTimeout: .seconds(5)), logger: quiet)
            let key = "\(uniquePrefix())/k".bytes
            // A put to the dead endpoint surely never reached it: it goes on to the live one.
            try await client.put(key: key, value: "v".bytes)
            #expect(try await client.range(key: key).kvs.count == 1)
        }
    }

    @Test func endpointsAreChecked() {
        #expect(throws: EtcdConnection.ConfigurationError.invalidEndpoint("127.0.0.1:2379", reason: "it has no scheme: write http://HOST:PORT or https://HOST:PORT")) {
            try EtcdConnection(endpoints: ["127.0.0.1:2379"])
        }
        #expect(throws: EtcdConnection.ConfigurationError.invalidEndpoint("http://", reason: "it has no host")) { try EtcdConnection(endpoints: ["http://"]) }
        #expect(throws: EtcdConnection.ConfigurationError.invalidEndpoint("", reason: "no endpoint was given")) { try EtcdConnection(endpoints: []) }
        // Refused before any connection is tried (these crashed inside NIO, or hung).
        for endpoint in ["http://127.0.0.1:99999", "http://127.0.0.1:0", "http://127.0.0.1:-1", "ftp://127.0.0.1:2379",
                         "http://bad host:2379", "http://a..b:2379", "http://[::1:2379", "http://127.0.0.1:2379/v3"] {
            #expect(throws: EtcdConnection.ConfigurationError.self) { try EtcdConnection(endpoints: [endpoint]) }
        }
        #expect(throws: Never.self) { try EtcdConnection(endpoints: ["http://127.0.0.1:2379/", "https://etcd.example:2379"]) }
    }
}

extension EtcdServer {
    /// How many watch streams etcd has open now (its own gauge at /metrics).
    func watchStreams() async throws -> Int {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: endpoint + "/metrics"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 << 20)
        let line = String(buffer: body).split(separator: "\n").first { $0.hasPrefix("etcd_debugging_mvcc_watch_stream_total ") }
        return Int(line?.split(separator: " ").last ?? "") ?? -1
    }
}
