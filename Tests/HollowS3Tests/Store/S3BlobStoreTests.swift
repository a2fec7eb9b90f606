import Hollow
@testable import HollowS3
import HollowS3Testing
import Testing

/// The store's calls against a real S3-compatible server (moto, shared by these tests, a bucket
/// per test).
@Suite struct S3BlobStoreTests {
    @Test func putGetListAndDeleteRoundTrip() async throws {
        let moto = try await MotoServer.shared()
        let store = try await moto.newStore()
        #expect(try await store.list() == [])
        let first = randomBytes(1000, seed: 1)
        try await store.put(blob("snapshot-1"), first)
        try await store.put(blob("delta-2"), [])
        try await store.put(blob("a.b_c-3"), [0xFF])
        #expect(try await store.get(blob("snapshot-1")) == first)
        #expect(try await store.get(blob("snapshot-1"), expectedSize: 1000) == first)
        #expect(try await store.get(blob("delta-2"), expectedSize: 0) == [])
        #expect(try await store.list() == [blob("a.b_c-3"), blob("delta-2"), blob("snapshot-1")])

        // A put replaces the blob as a whole.
        let second = randomBytes(10, seed: 2)
        try await store.put(blob("snapshot-1"), second)
        #expect(try await store.get(blob("snapshot-1")) == second)

        try await store.delete(blob("snapshot-1"))
        #expect(try await store.list() == [blob("a.b_c-3"), blob("delta-2")])
        await #expect(throws: BlobStoreError.notFound(blob("snapshot-1"))) { try await store.get(blob("snapshot-1")) }
    }

    @Test func aMissingBlobIsNotFoundForGetAndDelete() async throws {
        let store = try await MotoServer.shared().newStore()
        await #expect(throws: BlobStoreError.notFound(blob("nothing"))) { try await store.get(blob("nothing")) }
        await #expect(throws: BlobStoreError.notFound(blob("nothing"))) { try await store.get(blob("nothing"), expectedSize: 3) }
        await #expect(throws: BlobStoreError.notFound(blob("nothing"))) { try await store.delete(blob("nothing")) }
    }

    /// The Content-Length is compared with the announced size before the body is read: a
    /// blob of 4 MiB asked for as 10 bytes is refused with nearly nothing received.
    @Test func aGetOfTheWrongSizeIsRefusedWithoutReadingTheBody() async throws {
        let store = try await MotoServer.shared().newStore()
        let big = randomBytes(4 << 20, seed: 3)
        try await store.put(blob("snapshot-9"), big)
        let before = store.client.bytesReceived.load(ordering: .relaxed)
        await #expect(throws: BlobStoreError.sizeMismatch(blob("snapshot-9"), expected: 10, found: big.count)) {
            try await store.get(blob("snapshot-9"), expectedSize: 10)
        }
        #expect(store.client.bytesReceived.load(ordering: .relaxed) - before < 64 << 10)
        await #expect(throws: BlobStoreError.sizeMismatch(blob("snapshot-9"), expected: big.count + 1, found: big.count)) {
            try await store.get(blob("snapshot-9"), expectedSize: big.count + 1)
        }
        #expect(try await store.get(blob("snapshot-9"), expectedSize: big.count) == big)
    }

    /// Stores with different prefixes share a bucket without seeing each other's blobs; keys
    /// deeper under a prefix, or that are not blob names, are not listed.
    @Test func prefixesKeepStoresApart() async throws {
        let moto = try await MotoServer.shared()
        let bucket = uniqueBucket("prefix")
        try await moto.createBucket(bucket)
        let catalog = try moto.store(bucket: bucket, prefix: "hollow/catalog")
        let catalogTest = try moto.store(bucket: bucket, prefix: "hollow/catalog/test/")
        let root = try moto.store(bucket: bucket)
        try await catalog.put(blob("snapshot-1"), [1])
        try await catalogTest.put(blob("snapshot-1"), [2, 2])
        try await root.put(blob("snapshot-1"), [3, 3, 3])
        // An object another tool wrote, whose name is not a blob's.
        _ = try await root.client.send(S3Request(.other, .PUT, key: "hollow/catalog/not a blob!", body: [9][...]))

        #expect(try await catalog.list() == [blob("snapshot-1")])
        #expect(try await catalogTest.list() == [blob("snapshot-1")])
        #expect(try await root.list() == [blob("snapshot-1")])
        #expect(try await catalog.get(blob("snapshot-1")) == [1])
        #expect(try await catalogTest.get(blob("snapshot-1")) == [2, 2])
        #expect(try await root.get(blob("snapshot-1")) == [3, 3, 3])
        #expect(catalog.url == "s3://\(bucket)/hollow/catalog")
        try await catalog.delete(blob("snapshot-1"))
        #expect(try await catalogTest.get(blob("snapshot-1")) == [2, 2])
    }

    /// More than a page of keys (1000): the listing follows the continuation tokens.
    @Test func aListingOfManyPagesIsWhole() async throws {
        let store = try await MotoServer.shared().newStore("pages")
        let names = (0..<1203).map { blob("delta-\(String(repeating: "0", count: 5 - String($0).count))\($0)") }
        await withTaskGroup(of: Void.self) { group in
            for chunk in stride(from: 0, to: names.count, by: 100) {
                group.addTask {
                    for name in names[chunk..<min(chunk + 100, names.count)] { try? await store.put(name, [1]) }
                }
            }
        }
        #expect(try await store.list() == names)
    }

    /// Virtual-hosted requests name the bucket in the Host header (`BUCKET.localhost:PORT`),
    /// sent to the server on loopback since no DNS knows that name.
    @Test func virtualHostedAddressingPutsTheBucketInTheHost() async throws {
        let moto = try await MotoServer.shared()
        let bucket = uniqueBucket("virtual")
        try await moto.createBucket(bucket)
        var configuration = moto.configuration(bucket: bucket)
        configuration.endpoint = "http://localhost:\(moto.port)"
        configuration.addressing = .virtualHosted
        let store = try S3BlobStore(configuration: configuration, httpClient: S3Client.sharedHTTPClient,
                                    connectingTo: try ServiceEndpoint(parsing: moto.endpoint), logger: quiet)
        try await store.put(blob("snapshot-1"), [7, 7])
        #expect(try await store.list() == [blob("snapshot-1")])
        #expect(try await moto.store(bucket: bucket).get(blob("snapshot-1")) == [7, 7])
        // The request line carried no bucket: it was in the host.
        #expect(moto.requests().contains { $0.method == "PUT" && $0.target == "/snapshot-1" })
    }

    @Test func aMissingBucketIsAnUnavailableStoreThatSaysSo() async throws {
        let moto = try await MotoServer.shared()
        let bucket = uniqueBucket("missing")
        let store = try moto.store(bucket: bucket)
        for call in [{ _ = try await store.list() }, { try await store.put(blob("b"), [1]) }, { try await store.delete(blob("b")) }] as [() async throws -> Void] {
            do {
                try await call()
                Issue.record("a call on a missing bucket worked")
            } catch let error as BlobStoreError {
                guard case .unavailable(let message) = error else { Issue.record("\(error)"); continue }
                #expect(message.contains("the bucket '\(bucket)' does not exist"), "\(message)")
            }
        }
    }
}
