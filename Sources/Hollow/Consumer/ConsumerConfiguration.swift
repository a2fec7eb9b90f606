extension Consumer {
    public struct Configuration: Sendable {
        /// Names this consumer in logs and metrics.
        public var name: String
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

/// Exponential backoff with jitter: `initial`, doubling per failure, at most `maximum`.
public struct RetryBackoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(60)) {
        precondition(initial > .zero && maximum >= initial, "backoff needs 0 < initial <= maximum")
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait after `failures` failures in a row (1 or more): between half and all of the
    /// doubled delay, so that many consumers do not retry in step.
    public func delay(afterFailures failures: Int) -> Duration {
        var delay = initial
        for _ in 1..<max(1, min(failures, 32)) where delay < maximum { delay *= 2 }
        delay = min(delay, maximum)
        return delay * Double.random(in: 0.5...1.0)
    }
}
