import Foundation
import Hollow

extension HTTPBlobStore {
    /// Where the blobs are served and how to fetch them.
    public struct Configuration: Sendable {
        /// The URL of the directory the blobs are served from: a blob is `<base>/<name>`.
        public var baseURL: String
        /// Headers sent with every request (`Authorization: Bearer …`, say).
        public var headers: [(name: String, value: String)]
        /// The longest a whole request may take (connecting, sending, the answer and its body).
        public var requestTimeout: Duration
        /// The longest a connection may take to open (a server that refuses is tried until then).
        public var connectTimeout: Duration
        /// Attempts per blob when the server fails (5xx, 429) or cannot be reached; 1 is no retry.
        public var attempts: Int
        /// The wait between attempts, doubled each time, with jitter.
        public var backoff: RetryBackoff
        /// Redirects followed per request (to another host or path, as a CDN may answer).
        public var maximumRedirects: Int
        /// A PEM file of certificate authorities to trust for `https` (nil: the system's).
        public var trustedCertificatesFile: String?
        /// The largest blob read when its size is not known ahead (`get(_:)` without a size).
        public var maximumBlobBytes: Int

        public init(baseURL: String, headers: [(name: String, value: String)] = [], requestTimeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(3),
                    attempts: Int = 4, backoff: RetryBackoff = RetryBackoff(initial: .milliseconds(200), maximum: .seconds(5)),
                    maximumRedirects: Int = 5, trustedCertificatesFile: String? = nil, maximumBlobBytes: Int = 1 << 34) {
            self.baseURL = baseURL
            self.headers = headers
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.attempts = attempts
            self.backoff = backoff
            self.maximumRedirects = maximumRedirects
            self.trustedCertificatesFile = trustedCertificatesFile
            self.maximumBlobBytes = maximumBlobBytes
        }

        /// A bearer token, as the `Authorization` header.
        public static func bearer(_ token: String) -> (name: String, value: String) {
            (name: "Authorization", value: "Bearer \(token)")
        }
    }
}
