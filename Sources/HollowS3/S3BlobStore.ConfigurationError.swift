extension S3BlobStore {
    /// A configuration that cannot be used, found before any request: what is wrong, and why.
    public enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
        /// An `s3://` address that cannot be read.
        case invalidURL(String, reason: String)
        case invalidBucket(String, reason: String)
        case invalidPrefix(String, reason: String)
        case invalidRegion(String, reason: String)
        /// An endpoint override that is not an `http(s)://host[:port]` address, or that cannot be
        /// used with the addressing style.
        case invalidEndpoint(String, reason: String)
        /// A size, count or duration out of range: the setting's name, and why.
        case invalidSetting(String, reason: String)

        public var description: String {
            switch self {
            case .invalidURL(let url, let reason): "'\(url)' is not an S3 address (\(reason)): write s3://BUCKET/PREFIX"
            case .invalidBucket(let bucket, let reason): "'\(bucket)' is not an S3 bucket name: \(reason)"
            case .invalidPrefix(let prefix, let reason): "'\(prefix)' cannot be a key prefix: \(reason)"
            case .invalidRegion(let region, let reason): "'\(region)' is not a region name: \(reason)"
            case .invalidEndpoint(let endpoint, let reason): "'\(endpoint)' cannot be the S3 endpoint: \(reason)"
            case .invalidSetting(let name, let reason): "S3 store setting \(name): \(reason)"
            }
        }
    }
}
