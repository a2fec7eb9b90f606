import NIOCore
import NIOHTTP1

/// One S3 call before it is signed: the object it is about (nil: the bucket), its query, the
/// headers of its own (a range, metadata), and its body.
package struct S3Request: Sendable {
    package var operation: S3Operation
    package var method: HTTPMethod
    /// The whole key, prefix included; nil for a call on the bucket.
    package var key: String?
    package var query: [SigV4Request.QueryItem]
    package var headers: [SigV4Request.Header]
    package var body: ByteBuffer?
    /// The body's SHA-256 in hex (computed once, when the request is made, or given by a caller
    /// that has it already: it is signed at every try).
    package var payloadSHA256: String

    package init(_ operation: S3Operation, _ method: HTTPMethod, key: String?, query: [SigV4Request.QueryItem] = [],
                 headers: [SigV4Request.Header] = [], body: ArraySlice<UInt8>? = nil, payloadSHA256: String? = nil) {
        self.operation = operation
        self.method = method
        self.key = key
        self.query = query
        self.headers = headers
        if let body {
            self.body = ByteBuffer(bytes: body)
            self.payloadSHA256 = payloadSHA256 ?? Hex.sha256(body)
        } else {
            self.body = nil
            self.payloadSHA256 = Hex.emptySHA256
        }
    }

    var bodySize: Int { body?.readableBytes ?? 0 }
}
