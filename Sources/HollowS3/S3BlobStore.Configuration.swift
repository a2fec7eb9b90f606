import Hollow

extension S3BlobStore {
    /// Where the blobs live (bucket, prefix, region, endpoint), how requests name the bucket and
    /// sign, and how large blobs, slow answers and failures are handled. Checked when the store
    /// is made, before any request.
    public struct Configuration: Sendable {
        public var bucket: String
        /// Put before every blob's name: `""` or a path such as `catalog/prod` (a trailing `/` is
        /// added). ASCII letters, digits, `.`, `_`, `-` and `/`.
        public var prefix: String
        /// The bucket's region, part of every signature (`us-east-1` for most S3-compatible servers).
        public var region: String
        /// An S3-compatible server instead of AWS's endpoint for the region: `http(s)://host[:port]`.
        public var endpoint: String?
        public var addressing: AddressingStyle
        public var credentials: any S3CredentialsProvider
        /// A blob larger than this goes up as a multipart upload.
        public var multipartThreshold: Int
        /// The size of each part but the last (S3: 5 MiB to 5 GiB, at most 10,000 parts).
        public var partSize: Int
        /// Parts uploaded at the same time.
        public var parallelParts: Int
        /// How long one request may take to move up to `partSize` bytes, from sending to the last
        /// byte of the answer; a larger object's download gets this much per `partSize` bytes.
        public var requestTimeout: Duration
        /// Tries per request. A request is tried again after a 5xx answer, throttling (429, 503
        /// SlowDown), a timeout or a failed connection; each request of the store is safe to repeat.
        public var attempts: Int
        /// The pause before each further try, with jitter.
        public var backoff: RetryBackoff

        public static let minimumPartSize = 5 << 20
        public static let maximumPartSize = 5 << 30
        public static let maximumParts = 10_000

        public init(bucket: String, prefix: String = "", region: String = "us-east-1", endpoint: String? = nil,
                    addressing: AddressingStyle = .automatic, credentials: any S3CredentialsProvider = .default,
                    multipartThreshold: Int = 64 << 20, partSize: Int = 16 << 20, parallelParts: Int = 4,
                    requestTimeout: Duration = .seconds(60), attempts: Int = 4,
                    backoff: RetryBackoff = RetryBackoff(initial: .milliseconds(200), maximum: .seconds(5))) {
            self.bucket = bucket
            self.prefix = prefix
            self.region = region
            self.endpoint = endpoint
            self.addressing = addressing
            self.credentials = credentials
            self.multipartThreshold = multipartThreshold
            self.partSize = partSize
            self.parallelParts = parallelParts
            self.requestTimeout = requestTimeout
            self.attempts = attempts
            self.backoff = backoff
        }

        /// `s3://BUCKET/PREFIX`, the form `init(url:)` reads.
        public var url: String {
            let trimmed = Self.normalizedPrefix(prefix)
            return "s3://\(bucket)" + (trimmed.isEmpty ? "" : "/" + trimmed.dropLast())
        }

        /// The longest a request of `partSize` bytes or less can take before it fails: every try
        /// timing out, plus the longest pauses between them.
        public var retryBudget: Duration {
            var total = requestTimeout * attempts
            var pause = backoff.initial
            for _ in 1..<max(1, attempts) {
                total += pause
                pause = min(pause * 2, backoff.maximum)
            }
            return total
        }

        /// The prefix with exactly one trailing slash ("" stays "").
        static func normalizedPrefix(_ prefix: String) -> String {
            var text = Substring(prefix)
            while text.hasSuffix("/") { text.removeLast() }
            return text.isEmpty ? "" : text + "/"
        }
    }
}
