import HollowCore
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
        /// when the store is unreachable (nil: start empty during an outage). One consumer a
        /// directory.
        public var localCacheDirectory: String?
        /// Keep an image of the served state and its indexes in `localCacheDirectory`, and start
        /// from it at once after a restart (nil: start by loading blobs). Needs the directory.
        public var localImage: LocalImage?
        /// Waits between retries of a failed refresh in `watch()`.
        public var retryBackoff: RetryBackoff

        public init(name: String = "default", indexes: [IndexDefinition] = [], maximumChainLength: Int = 32,
                    localCacheDirectory: String? = nil, localImage: LocalImage? = nil, retryBackoff: RetryBackoff = RetryBackoff()) {
            self.name = name
            self.indexes = indexes
            self.maximumChainLength = maximumChainLength
            self.localCacheDirectory = localCacheDirectory
            self.localImage = localImage
            self.retryBackoff = retryBackoff
        }
    }

    /// An instant start from the local cache: the consumer keeps an image of the state it serves
    /// (the state's storage uncompressed and its indexes' tables, `StateImage`), rewritten at most
    /// every `interval`; a consumer that starts maps the image and serves it at once, before it
    /// asks the announcement log for anything, then follows the deltas from the image's version.
    public struct LocalImage: Sendable {
        /// What is checked of the image before it is served (`StateImage.Check`): by default
        /// everything a snapshot load checks, which reads the whole file once; `.none` for a
        /// constant-time start, when only this service's user can write the directory.
        public var check: StateImage.Check
        /// The least time between two images written (each one writes the whole state).
        public var interval: Duration

        public init(check: StateImage.Check = .structure, interval: Duration = .seconds(60)) {
            self.check = check
            self.interval = interval
        }
    }
}
