/// Why an S3 call failed, as the client sees it; the store turns it into a `BlobStoreError` that
/// names the blob (`S3BlobStore+Errors`).
package enum S3Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// 404 NoSuchKey (or a HEAD's bare 404): no object under the key.
    case noSuchKey(String)
    /// 404 NoSuchBucket.
    case noSuchBucket(String)
    /// 403, or a 400 that refuses the key itself (InvalidAccessKeyId, SignatureDoesNotMatch,
    /// ExpiredToken...): S3's code and message.
    case accessDenied(S3Operation, code: String, message: String)
    /// Any other refusal, not worth repeating: status (0: refused before sending), S3's code and
    /// message.
    case refused(S3Operation, status: Int, code: String, message: String)
    /// Every try failed with a 5xx, throttling, a timeout or a broken connection: the last reason.
    case unavailable(S3Operation, reason: String, attempts: Int)
    /// No try could connect at all (refused, unresolvable, unroutable).
    case unreachable(endpoint: String, reason: String, attempts: Int)
    /// An object whose size is not the one expected (its Content-Length, or the bytes that came).
    case sizeMismatch(expected: Int, found: Int)
    /// An answer that does not say what S3's API says it should.
    case malformedResponse(S3Operation, what: String)
    /// No credentials to sign with.
    case credentials(S3CredentialsError)
    case cancelled

    package var description: String {
        switch self {
        case .noSuchKey(let key): "no object under the key '\(key)'"
        case .noSuchBucket(let bucket): "the bucket '\(bucket)' does not exist"
        case .accessDenied(let operation, let code, let message): "\(operation.name) refused: \(code): \(message)"
        case .refused(let operation, let status, let code, let message):
            // Status 0: refused by the store itself, before any request.
            "\(operation.name) refused: \(status == 0 ? "" : "HTTP \(status) ")\(code): \(message)"
        case .unavailable(let operation, let reason, let attempts): "\(operation.name) failed \(attempts) times, last: \(reason)"
        case .unreachable(let endpoint, let reason, let attempts):
            "S3 unreachable at \(endpoint): \(reason) (\(attempts) attempts). Is the server running and listening there? Check the endpoint and the network"
        case .sizeMismatch(let expected, let found): "the object is \(found) bytes, expected \(expected)"
        case .malformedResponse(let operation, let what): "malformed \(operation.name) answer: \(what)"
        case .credentials(let error): "\(error)"
        case .cancelled: "cancelled"
        }
    }
}
