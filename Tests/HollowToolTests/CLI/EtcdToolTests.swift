import Foundation
import HollowEtcdTesting
import HollowHTTPStoreTesting
import HollowS3Testing
import HollowTesting
import Testing

/// The tool with its log and election on a real etcd.
@Suite struct EtcdToolTests {
    @Test func produceOnEtcdThenReadBackWithTheSameOptions() async throws {
        let runner = ToolRunner()
        defer { runner.remove() }
        try runner.makeStore()
        try await EtcdServer.with { etcd in
            let options = ["--etcd", etcd.endpoint, "--etcd-prefix", "/hollow/tool-test"]
            let produced = try await runner.produceFixture(1, options)
            #expect(produced.status == 0, "\(produced)")
            #expect(produced.errors.contains("leading with term"), "\(produced)")
            let second = try await runner.produceFixture(2, options)
            #expect(second.status == 0 && second.output.contains("version 2 announced (delta from 1)"), "\(second)")
            // No announcements.jsonl: the log is on etcd.
            #expect(!FileManager.default.fileExists(atPath: runner.store + "/announcements.jsonl"))
            let history = try await runner.run(["history", "--store", runner.store] + options)
            #expect(history.status == 0 && history.lines.count == 2, "\(history)")
            let record = try await runner.run(["get", "--store", runner.store, "Movie", "1"] + options)
            #expect(record.status == 0 && record.output.contains("Seven Samurai"), "\(record)")
        }
    }

    /// A consumer on another host: no store directory, the log on etcd and the blobs from an HTTP
    /// server (nginx) in front of the producer's blob directory.
    @Test func aConsumerOnAnotherHostReadsFromEtcdAndHTTP() async throws {
        let runner = ToolRunner()
        defer { runner.remove() }
        try runner.makeStore()
        try await EtcdServer.with { etcd in
            let options = ["--etcd", etcd.endpoint, "--etcd-prefix", "/hollow/http-test"]
            for version in 1...2 {
                let produced = try await runner.produceFixture(version, options)
                #expect(produced.status == 0, "\(produced)")
            }
            try FileManager.default.createDirectory(atPath: runner.store + "/blobs", withIntermediateDirectories: true)
            let nginx = try await NginxServer.start(root: runner.store + "/blobs")
            defer { nginx.stop() }
            let remote = options + ["--blobs", nginx.baseURL + "/blobs"]
            let record = try await runner.run(["get", "Movie", "1"] + remote)
            #expect(record.status == 0 && record.output.contains("Seven Samurai"), "\(record)")
            let watched = try await runner.run(["watch", "--count", "1"] + remote)
            #expect(watched.status == 0 && watched.output.contains("version 2 (first load)"), "\(watched)")
            // `hollow serve` on the same options follows the log to the next version.
            let (server, base) = try await startServing(runner, remote, version: 2)
            #expect(try await httpGet(base + "/ready").body.contains(#""version":2"#), "\(server.errors)")
            #expect(try await runner.produceFixture(3, options).status == 0)
            try await waitUntilServing(base, version: 3)
            #expect(try await httpGet(base + "/ready").body.contains(#""version":3"#), "\(server.errors)")
            #expect(try await httpGet(base + "/explorer/types/Movie/key?id=1").body.contains("Seven Samurai"))
            kill(server.process.processIdentifier, SIGTERM)
            try await waitFor { !server.process.isRunning }
            #expect(server.finish().status == 0)
            // Behind a token: refused without it, with a message that says what to do.
            let refused = try await runner.run(["get", "Movie", "1"] + options + ["--blobs", nginx.baseURL + "/private"])
            #expect(refused.status == 69 && refused.errors.contains("HTTP 401"), "\(refused)")
            let authorized = try await runner.run(["get", "Movie", "1"] + options
                                                  + ["--blobs", nginx.baseURL + "/private", "--blobs-header", "Authorization: Bearer \(NginxServer.token)"])
            #expect(authorized.status == 0, "\(authorized)")
            // A producer cannot write to a URL; a reader needs a log.
            let producing = try await runner.produceFixture(3, remote)
            #expect(producing.status == 64 && producing.errors.contains("a producer writes blobs to a directory"), "\(producing)")
            let noLog = try await runner.run(["get", "Movie", "1", "--blobs", nginx.baseURL + "/blobs"])
            #expect(noLog.status == 64 && noLog.errors.contains("--etcd"), "\(noLog)")
        }
    }

    /// Producers and consumers on different hosts with no shared directory at all: the log on etcd,
    /// the blobs in an S3 bucket (moto on loopback).
    @Test func producerAndConsumerShareNothingButEtcdAndABucket() async throws {
        let runner = ToolRunner()
        defer { runner.remove() }
        try runner.makeStore()
        try await MotoServer.with { moto in
            try await moto.createBucket("catalog")
            try await EtcdServer.with { etcd in
                let remote = ["--etcd", etcd.endpoint, "--etcd-prefix", "/hollow/s3-test",
                              "--blobs", "s3://catalog/blobs?endpoint=\(moto.endpoint)&region=us-east-1"]
                let keys = ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"]
                for version in 1...2 {
                    let produced = try await runner.produceFixture(version, remote, environment: keys)
                    #expect(produced.status == 0, "\(produced)")
                }
                #expect(try FileManager.default.contentsOfDirectory(atPath: runner.store).filter { $0 == "blobs" }.isEmpty,
                        "no blob was written to the store directory")
                let record = try await runner.run(["get", "Movie", "1"] + remote, environment: keys)
                #expect(record.status == 0 && record.output.contains("Seven Samurai"), "\(record)")
                let history = try await runner.run(["history"] + remote, environment: keys)
                #expect(history.status == 0 && history.lines.count == 2, "\(history)")
                // `hollow serve` with its credentials named in the address (a profile of a file of
                // the shared credentials format) instead of the environment.
                let credentials = runner.directory + "/aws-credentials"
                try "[hollow]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
                    .write(toFile: credentials, atomically: true, encoding: .utf8)
                let served = ["--etcd", etcd.endpoint, "--etcd-prefix", "/hollow/s3-test", "--blobs",
                              "s3://catalog/blobs?endpoint=\(moto.endpoint)&region=us-east-1&profile=hollow&credentials=\(credentials)"]
                let noKeys = ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"]
                let (server, base) = try await startServing(runner, served, version: 2, environment: noKeys)
                #expect(try await httpGet(base + "/explorer/types/Movie/key?id=1").body.contains("Seven Samurai"), "\(server.errors)")
                kill(server.process.processIdentifier, SIGTERM)
                try await waitFor { !server.process.isRunning }
                #expect(server.finish().status == 0)
            }
        }
    }

    @Test func etcdDownAtStartIsAClearErrorAndNothingIsWritten() async throws {
        let runner = ToolRunner()
        defer { runner.remove() }
        try runner.makeStore()
        let closed = try ClosedPort()  // nobody listens there, and no server started meanwhile can
        let port = closed.port
        defer { withExtendedLifetime(closed) {} }
        let result = try await runner.produceFixture(1, ["--etcd", "http://127.0.0.1:\(port)"])
        #expect(result.status == 69, "\(result)")
        #expect(result.errors.contains("etcd unreachable at http://127.0.0.1:\(port)"), "\(result)")
        let history = try await runner.run(["history", "--store", runner.store, "--etcd", "http://127.0.0.1:\(port)"])
        #expect(history.status == 69 && history.errors.contains("etcd unreachable"), "\(history)")
        let badEndpoint = try await runner.produceFixture(1, ["--etcd", "etcd:2379"])
        #expect(badEndpoint.status == 64, "\(badEndpoint)")
        // An out-of-range port, a bad host, a bad scheme: refused before any connection (exit 64).
        for (endpoint, reason) in [("http://127.0.0.1:70000", "the port 70000 is not between 1 and 65535"),
                                   ("http://no_such host:2379", "is not a host name or an IPv4 address"),
                                   ("gopher://127.0.0.1:2379", "the scheme 'gopher' is not http or https")] {
            for command in [["history", "--store", runner.store], ["get", "--store", runner.store, "Movie", "1"]] {
                let result = try await runner.run(command + ["--etcd", endpoint])
                #expect(result.status == 64 && result.errors.contains(reason), "\(result)")
            }
        }
    }
}
