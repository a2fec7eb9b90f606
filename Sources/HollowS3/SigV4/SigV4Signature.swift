/// A request's signature with the steps that led to it, so that a test (or a debug log after a
/// `SignatureDoesNotMatch`) can compare each step with the server's.
package struct SigV4Signature: Sendable, Equatable {
    package var canonicalRequest: String
    package var stringToSign: String
    /// The header names signed, lower-case, sorted, joined by `;`.
    package var signedHeaders: String
    /// 64 lower-case hex digits.
    package var signature: String
    /// The `Authorization` header's value.
    package var authorization: String
}
