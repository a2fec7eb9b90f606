import NIOHTTP1

extension S3Client {
    /// The metadata header that carries a blob's SHA-256 (`x-amz-meta-sha256`).
    static let sha256Metadata = "x-amz-meta-sha256"

    /// PutObject: `bytes` under `key` as one object, visible whole or not at all. S3 checks the
    /// body against the SHA-256 it was signed with.
    package func putObject(key: String, bytes: ArraySlice<UInt8>, sha256: String) async throws(S3Error) {
        var request = S3Request(.putObject, .PUT, key: key, headers: [.init(Self.sha256Metadata, sha256)], body: bytes, payloadSHA256: sha256)
        request.headers.append(.init("content-type", "application/octet-stream"))
        _ = try await send(request)
    }

    /// GetObject: the object's bytes. With `expectedSize`, an answer whose Content-Length says
    /// otherwise is refused with `sizeMismatch` before its body is read, and a body that runs
    /// past it is cut off there.
    package func getObject(key: String, expectedSize: Int? = nil) async throws(S3Error) -> [UInt8] {
        let response = try await send(S3Request(.getObject, .GET, key: key)) { (status, headers) throws(S3Error) -> Int in
            guard (200..<300).contains(status) else { return 64 << 10 }
            let length = headers.first(name: "content-length").flatMap { Int($0) }
            if let expectedSize, let length, length != expectedSize { throw .sizeMismatch(expected: expectedSize, found: length) }
            return expectedSize ?? length ?? Int.max
        }
        if let expectedSize, response.body.count != expectedSize {
            throw .sizeMismatch(expected: expectedSize, found: response.body.count)
        }
        return response.body
    }

    /// HeadObject: the size and the recorded SHA-256; `noSuchKey` when there is no object.
    package func headObject(key: String) async throws(S3Error) -> S3ObjectHead {
        let response = try await send(S3Request(.headObject, .HEAD, key: key)) { _, _ in 0 }
        guard let size = response.integer("content-length"), size >= 0 else {
            throw .malformedResponse(.headObject, what: "no Content-Length for '\(key)'")
        }
        return S3ObjectHead(size: size, sha256: response.headers.first(name: Self.sha256Metadata))
    }

    /// DeleteObject. S3 answers 204 whether or not the key existed.
    package func deleteObject(key: String) async throws(S3Error) {
        _ = try await send(S3Request(.deleteObject, .DELETE, key: key))
    }

    /// HeadBucket: nothing when the bucket exists and may be listed, `noSuchBucket` when it does
    /// not (a HEAD's 404 has no body to say which is missing, so it is asked about the bucket).
    package func headBucket() async throws(S3Error) {
        do { _ = try await send(S3Request(.headBucket, .HEAD, key: nil)) { _, _ in 0 } } catch {
            if case .noSuchKey = error { throw .noSuchBucket(location.bucket) }
            throw error
        }
    }
}
