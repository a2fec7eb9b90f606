import Foundation
import Hollow
import HollowCore
import HollowHTTPStore
import HollowHTTPStoreTesting
import HollowTesting
import Logging
import PropertyBased
import Testing

let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// The HTTP blob store against a real nginx serving a producer's blob directory.
@Suite struct HTTPBlobStoreTests {
    /// A blob directory, nginx in front of it, and a store at `path` of the server.
    final class Rig: @unchecked Sendable {
        let root: String
        let files: FileSystemBlobStore
        let server: NginxServer
        let certificates: TestCertificates?

        private init(files: FileSystemBlobStore, server: NginxServer, certificates: TestCertificates?, root: String) {
            self.files = files
            self.server = server
            self.certificates = certificates
            self.root = root
        }

        static func make(tls: Bool = false) async throws -> Rig {
            let root = NSTemporaryDirectory() + "hollow-http-" + UUID().uuidString
            let files = try FileSystemBlobStore(directory: root)
            let certificates = tls ? try TestCertificates() : nil
            let server = try await NginxServer.start(root: root, certificate: certificates.map { ($0.certificate, $0.key) })
            return Rig(files: files, server: server, certificates: certificates, root: root)
        }

        func store(_ path: String = "/blobs", _ configure: (inout HTTPBlobStore.Configuration) -> Void = { _ in }) throws -> HTTPBlobStore {
            var configuration = HTTPBlobStore.Configuration(baseURL: server.baseURL + path, backoff: RetryBackoff(initial: .milliseconds(20), maximum: .milliseconds(100)))
            configure(&configuration)
            return try HTTPBlobStore(configuration: configuration, logger: quiet)
        }

        func stop() {
            server.stop()
            certificates?.remove()
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    static let schema = try! Schema(parsing: "type Item key(id) { id: long  name: string }")

    static func populate(_ state: WriteState, _ items: [Int64: String]) throws {
        for (id, name) in items {
            var record = ObjectRecord(schema.object("Item")!)
            try record.set("id", .long(id))
            try record.set("name", .string(name))
            _ = try state.add(record)
        }
    }

    static func items(in state: ReadState) -> [Int64: String] {
        let type = state.objectType("Item")!
        let id = type.field("id")!, name = type.field("name")!
        return Dictionary(uniqueKeysWithValues: type.ordinals.map { (type.long($0, id)!, type.string($0, name)!) })
    }

    @Test func aConsumerFollowsAProducerThroughNginxByDeltas() async throws {
        let rig = try await Rig.make()
        defer { rig.stop() }
        let log = InMemoryAnnouncementLog()
        let producer = Producer(schema: Self.schema, blobStore: rig.files, announcementLog: log, logger: quiet)
        let blobs = try rig.store()
        let consumer = Consumer(blobStore: blobs, announcementLog: log, logger: quiet)
        var items = Dictionary(uniqueKeysWithValues: (0..<200).map { (Int64($0), "item \($0)") })
        for cycle in 1...4 {
            items[Int64(cycle)] = "changed in cycle \(cycle)"
            _ = try await producer.runCycle { try Self.populate($0, items) }
            let report = try await consumer.refresh()
            #expect(report.path == (cycle == 1 ? "snapshot" : "1 delta"), "cycle \(cycle)")
            #expect(Self.items(in: consumer.current!.readState) == items)
        }
        try await blobs.shutdown()
    }

    @Test func theSizeIsCheckedBeforeTheBodyIsRead() async throws {
        let rig = try await Rig.make()
        defer { rig.stop() }
        let name = try BlobName("delta-7-00000000000000ab")
        // 64 MiB where a 100-byte delta was announced.
        try await rig.files.put(name, [UInt8](repeating: 7, count: 64 << 20))
        let blobs = try rig.store()
        // Refused on the Content-Length header: the size found is the declared one.
        await #expect(throws: BlobStoreError.sizeMismatch(name, expected: 100, found: 64 << 20)) {
            try await blobs.get(name, expectedSize: 100)
        }
        #expect(try await blobs.get(name, expectedSize: 64 << 20).count == 64 << 20)
        try await blobs.shutdown()
    }

    @Test func aMissingBlobIsNotFoundAndTheStoreIsReadOnly() async throws {
        let rig = try await Rig.make()
        defer { rig.stop() }
        let blobs = try rig.store()
        let name = try BlobName("snapshot-1-0000000000000001")
        await #expect(throws: BlobStoreError.notFound(name)) { try await blobs.get(name) }
        await #expect(throws: BlobStoreError.self) { try await blobs.put(name, [1]) }
        await #expect(throws: BlobStoreError.self) { try await blobs.delete(name) }
        await #expect(throws: BlobStoreError.self) { try await blobs.list() }
        try await blobs.shutdown()
    }

    @Test func aBearerTokenIsSentAndARefusalSaysSo() async throws {
        let rig = try await Rig.make()
        defer { rig.stop() }
        let name = try BlobName("snapshot-1-0000000000000001")
        try await rig.files.put(name, [1, 2, 3])
        let anonymous = try rig.store("/private")
        await #expect {
            try await anonymous.get(name)
        } throws: { error in
            "\(error)".contains("refused (HTTP 401)") && "\(error)".contains("credentials")
        }
        let authorized = try rig.store("/private") { $0.headers = [HTTPBlobStore.Configuration.bearer(NginxServer.token)] }
        #expect(try await authorized.get(name) == [1, 2, 3])
        try await anonymous.shutdown()
        try await authorized.shutdown()
    }

    @Test func redirectsAreFollowed() async throws {
        let rig = try await Rig.make()
        defer { rig.stop() }
        let name = try BlobName("snapshot-1-0000000000000001")
        try await rig.files.put(name, [9, 8, 7])
        let blobs = try rig.store("/moved")
        #expect(try await blobs.get(name, expectedSize: 3) == [9, 8, 7])
        let noRedirects = try rig.store("/moved") { $0.maximumRedirects = 0 }
        await #expect(throws: BlobStoreError.self) { try await noRedirects.get(name) }
        try await blobs.shutdown()
        try await noRedirects.shutdown()
    }

    @Test func serverFailuresAreTriedAgainThenReported() async throws {
        let rig = try await Rig.make()
        defer { rig.stop() }
        let name = try BlobName("snapshot-1-0000000000000001")
        try await rig.files.put(name, [4, 5])
        rig.server.setFailing(true)
        let failing = try rig.store("/flaky") { $0.attempts = 3 }
        await #expect {
            try await failing.get(name)
        } throws: { error in
            "\(error)".contains("HTTP 503") && "\(error)".contains("3 attempts")
        }
        // Failing for a while, then serving: a patient store gets the blob.
        let patient = try rig.store("/flaky") {
            $0.attempts = 50
            $0.backoff = RetryBackoff(initial: .milliseconds(20), maximum: .milliseconds(40))
        }
        let fetch = Task { try await patient.get(name) }
        try await Task.sleep(for: .milliseconds(150))
        rig.server.setFailing(false)
        #expect(try await fetch.value == [4, 5])
        try await failing.shutdown()
        try await patient.shutdown()
    }

    @Test func aServerThatHangsIsTimedOutTriedAgainAndReported() async throws {
        let rig = try await Rig.make()
        defer { rig.stop() }
        let name = try BlobName("snapshot-1-0000000000000001")
        try await rig.files.put(name, [6, 7])
        rig.server.setFrozen(true)
        // Connections are accepted by the kernel, and no answer comes: each try ends at the
        // request timeout, and the store reports the timeouts once its tries are spent (how long
        // that takes is not asserted: a loaded suite delays the event loops' timers).
        let impatient = try rig.store { $0.attempts = 2; $0.requestTimeout = .milliseconds(300) }
        await #expect {
            try await impatient.get(name)
        } throws: { error in
            guard case .unavailable(let reason) = error as? BlobStoreError else { return false }
            return reason.contains("2 attempts")
        }
        // A server that wakes up while a patient store is still trying is ridden out.
        let patient = try rig.store { $0.attempts = 40; $0.requestTimeout = .milliseconds(300) }
        let fetch = Task { try await patient.get(name) }
        try await Task.sleep(for: .milliseconds(500))
        rig.server.setFrozen(false)
        #expect(try await fetch.value == [6, 7])
        try await impatient.shutdown()
        try await patient.shutdown()
    }

    @Test func anUnreachableServerIsUnavailableAfterItsAttempts() async throws {
        let rig = try await Rig.make()
        let blobs = try rig.store() { $0.attempts = 2 }
        rig.stop()
        let name = try BlobName("snapshot-1-0000000000000001")
        await #expect {
            try await blobs.get(name)
        } throws: { error in
            guard case .unavailable(let reason) = error as? BlobStoreError else { return false }
            return reason.contains("2 attempts")
        }
        try await blobs.shutdown()
    }

    @Test func tlsWithTheOperatorsCertificateAuthority() async throws {
        let rig = try await Rig.make(tls: true)
        defer { rig.stop() }
        let name = try BlobName("snapshot-1-0000000000000001")
        try await rig.files.put(name, [1])
        let trusting = try rig.store() { $0.trustedCertificatesFile = rig.certificates!.authority }
        #expect(try await trusting.get(name) == [1])
        // Without the authority the server's certificate is not trusted, and nothing is read.
        let untrusting = try rig.store() { $0.attempts = 1 }
        await #expect(throws: BlobStoreError.self) { try await untrusting.get(name) }
        try await trusting.shutdown()
        try await untrusting.shutdown()
    }

    @Test(arguments: [
        ("ftp://host/blobs", "is not http or https"),
        ("http://host:0/blobs", "the port 0"),
        ("https://999.1.1.1/blobs", "not an IPv4 address"),
        ("http://host/blobs?x=1", "query or fragment"),
    ])
    func aBadBaseURLIsRefusedBeforeAnyRequest(_ url: String, _ reason: String) {
        #expect {
            try HTTPBlobStore(configuration: .init(baseURL: url), logger: quiet)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    /// Whatever a producer's store holds, the HTTP store gives back byte for byte.
    @Test func blobsReadBackByteForByte() async throws {
        let rig = try await Rig.make()
        defer { rig.stop() }
        let blobs = try rig.store()
        await propertyCheck(count: 40, input: Gen.uint64(in: 1 ... .max), Gen.uint8().array(of: 0...70_000)) { id, bytes in
            do {
                let name = try BlobName("delta-\(id % 1000)-\(String(id, radix: 16))")
                try await rig.files.put(name, bytes)
                #expect(try await blobs.get(name, expectedSize: bytes.count) == bytes)
            } catch {
                Issue.record("\(error)")
            }
        }
        try await blobs.shutdown()
    }
}
