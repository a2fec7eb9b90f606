import Hollow
@testable import HollowS3
import HollowS3Testing
import Testing

/// Blobs above the threshold go up in parts, several at a time, and appear only once complete.
@Suite struct S3MultipartTests {
    static let partSize = S3BlobStore.Configuration.minimumPartSize

    /// 5 parts of 5 MiB and a last one of 123 bytes, through `parallelParts` 3: while the server
    /// is frozen mid-upload, 3 part uploads wait for it at once (and never more); once it
    /// answers again the parts are completed into one whole blob.
    @Test func partsGoUpInParallelThenCompleteIntoOneBlob() async throws {
        try await MotoServer.with { moto in
            let bytes = randomBytes(5 * Self.partSize + 123, seed: 11)
            let store = try await moto.newStore("multipart", prefix: "big") { configuration in
                configuration.multipartThreshold = Self.partSize
                configuration.partSize = Self.partSize
                configuration.parallelParts = 3
                configuration.requestTimeout = .seconds(60)
            }
            let upload = Task { try await store.put(blob("snapshot-1"), bytes) }
            // Freeze the server as soon as the first part is on its way (the upload was created):
            // the parts then wait for it, each on a connection of its own.
            #expect(await eventually(pause: .milliseconds(1)) { store.client.inFlight(.uploadPart) >= 1 })
            moto.pause()
            // The parts' tries in flight (as the client counts them) and the connections open to
            // the server (the kernel's count, for the record: a frozen server's accept queue
            // may hold some back).
            var partsInFlight: [Int] = []
            var connections: [Int] = []
            let three = await eventually(within: .seconds(20)) {
                partsInFlight.append(store.client.inFlight(.uploadPart))
                connections.append(establishedConnections(toPort: moto.port))
                return partsInFlight.last! == 3
            }
            // And never more than `parallelParts`, while the server stays frozen.
            for _ in 0..<20 {
                partsInFlight.append(store.client.inFlight(.uploadPart))
                try await Task.sleep(for: .milliseconds(25))
            }
            moto.resume()
            #expect(three, "parts in flight while frozen: \(partsInFlight.suffix(20)), connections: \(connections.suffix(20))")
            // Never more (a part whose request timed out meanwhile may be in between tries).
            #expect(partsInFlight.suffix(20).allSatisfy { $0 <= 3 }, "more parts than parallelParts: \(partsInFlight.suffix(20))")
            try await upload.value

            let parts = moto.requests().filter { $0.method == "PUT" && $0.target.contains("partNumber=") }
            #expect(parts.count == 6, "\(parts)")
            #expect(moto.requests().contains { $0.method == "POST" && $0.target.contains("uploadId=") && $0.status == 200 })
            #expect(try await store.get(blob("snapshot-1"), expectedSize: bytes.count) == bytes)
            #expect(try await store.list() == [blob("snapshot-1")])
        }
    }

    /// An upload that fails is aborted: no object, and no upload left pending in the bucket.
    @Test func aFailedUploadIsAbortedAndLeavesNothing() async throws {
        let moto = try await MotoServer.shared()
        let bucket = uniqueBucket("abort")
        try await moto.createBucket(bucket)
        let store = try moto.store(bucket: bucket) { configuration in
            configuration.multipartThreshold = 0
            configuration.partSize = Self.partSize
        }
        // Through the client: a complete that fails (a part list naming an ETag S3 never gave),
        // then the abort the store does in that case.
        let key = "forged"
        let uploadID = try await store.client.createMultipartUpload(key: key, sha256: Hex.sha256([1]))
        _ = try await store.client.uploadPart(key: key, uploadID: uploadID, number: 1, bytes: [1][...])
        do {
            try await store.client.completeMultipartUpload(key: key, uploadID: uploadID, etags: ["\"0123456789abcdef0123456789abcdef\""])
            Issue.record("a forged part list was completed")
        } catch {
            guard case .refused(_, 400, "InvalidPart", _) = error else { Issue.record("\(error)"); return }
        }
        try await store.client.abortMultipartUpload(key: key, uploadID: uploadID)
        await #expect(throws: S3Error.noSuchKey(key)) { try await store.client.headObject(key: key) }

        // Through the store: a blob above the threshold, cancelled while its parts go up.
        let bytes = randomBytes(2 * Self.partSize, seed: 12)
        let put = Task { try await store.put(blob("snapshot-2"), bytes) }
        #expect(await eventually { moto.requests().contains { $0.target.hasPrefix("/\(bucket)/snapshot-2?uploads") } })
        // Frozen while the parts go up, so that the cancel surely comes before the upload completes
        // (on a loaded machine, 10 MiB over loopback could otherwise finish first).
        moto.pause()
        put.cancel()
        moto.resume()
        // Cancelled, the upload is aborted and leaves nothing; on a machine loaded enough that its
        // parts were all up before the cancel, the complete goes on and the put says so: the blob
        // is whole (never a part of it, and never there after a put that failed).
        if case .success = await put.result {
            #expect(try await store.get(blob("snapshot-2"), expectedSize: bytes.count) == bytes)
            try await store.delete(blob("snapshot-2"))
        } else {
            #expect(await eventually(within: .seconds(30)) {
                moto.requests().contains { $0.method == "DELETE" && $0.target.hasPrefix("/\(bucket)/snapshot-2?uploadId=") }
            })
        }
        #expect(try await store.list() == [])
        let pending = try await store.client.send(S3Request(.other, .GET, key: nil, query: [.init("uploads", "")]))
        #expect(!String(decoding: pending.body, as: UTF8.self).contains("<Upload>"), "\(String(decoding: pending.body, as: UTF8.self))")
    }
}
