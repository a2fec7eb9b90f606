/// What Signature Version 4 signs of a request: its method, path, query, headers and the SHA-256
/// of its body. The path is given already encoded (`URIEncoding.path`): S3 signs it as sent,
/// encoded once and never normalized.
package struct SigV4Request: Sendable, Equatable {
    package var method: String
    package var encodedPath: String
    /// Names and values as they are, not encoded; the signer encodes and sorts them.
    package var query: [QueryItem]
    /// Every header to sign, `host` and `x-amz-date` included; names in any case.
    package var headers: [Header]
    /// The body's SHA-256, 64 lower-case hex digits.
    package var payloadSHA256: String

    package struct QueryItem: Sendable, Equatable {
        package var name: String
        package var value: String
        package init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    package struct Header: Sendable, Equatable {
        package var name: String
        package var value: String
        package init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    package init(method: String, encodedPath: String, query: [QueryItem] = [], headers: [Header], payloadSHA256: String) {
        self.method = method
        self.encodedPath = encodedPath
        self.query = query
        self.headers = headers
        self.payloadSHA256 = payloadSHA256
    }
}
