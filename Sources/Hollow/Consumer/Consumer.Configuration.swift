import Metrics

extension Consumer {
    /// The indexes a consumer keeps, how far it follows a chain of deltas, where it caches the
    /// blobs it serves, and how it waits between failed refreshes.
    public struct Configuration: Sendable {
        /// Names this consumer in logs and metrics.
        public var name: String
        /// Where the consumer's metrics go (a `PrometheusMetricsFactory` of a service's registry,
        /// say); nil: the process's `MetricsSystem`.
        public var metricsFactory: (any MetricsFactory)? = nil
        /// Indexes kept on every state served.
        public var indexes: [IndexDefinition]
        /// Longest chain of deltas followed before a snapshot is preferred.
        public var maximumChainLength: Int
        /// A directory where the consumer keeps the blobs of the version it serves, to start from
        /// when the store is unreachable (nil: start empty during an outage).
        public var localCacheDirectory: String?
        /// Waits between retries of a failed refresh in `watch()`.
        public var retryBackoff: RetryBackoff

        public init(name: String = "default", indexes: [IndexDefinition] = [], maximumChainLength: Int = 32,
                    localCacheDirectory: String? = nil, retryBackoff: RetryBackoff = RetryBackoff()) {
            self.name = name
            self.indexes = indexes
            self.maximumChainLength = maximumChainLength
            self.localCacheDirectory = localCacheDirectory
            self.retryBackoff = retryBackoff
        }
    }
}
