import Hollow
extension EtcdConnection {
    /// Where etcd is, how to reach it (TLS, a user) and how long to wait for it.
    public struct Configuration: Sendable {
        /// etcd's client URLs, `http(s)://host:port`, one per member: the client moves to the next
        /// one when a member refuses connections, does not answer in time, or has no leader, and
        /// keeps sending to the one that answered.
        public var endpoints: [String]
        /// How long one request may take, from sending to the whole answer.
        public var requestTimeout: Duration
        /// Tries per request, each on the next endpoint (only requests that are safe to repeat, or
        /// that surely never reached etcd, are tried again).
        public var attempts: Int
        /// The pause before the second try; it doubles before each further one.
        public var initialBackoff: Duration
        /// The largest answer read (a range over many keys); a larger one is refused.
        public var maximumResponseBytes: Int
        /// TLS for `https://` endpoints (nil: the system's trust roots, no client certificate).
        public var tls: TLS?
        /// The user to authenticate as when etcd has authentication on (nil: none).
        public var credentials: Credentials?

        /// The defaults: a local etcd, 5 s per request, 3 tries, 100 ms before the second. The
        /// endpoints are checked when the connection is made.
        public init(endpoints: [String] = ["http://127.0.0.1:2379"], requestTimeout: Duration = .seconds(5), attempts: Int = 3,
                    initialBackoff: Duration = .milliseconds(100), maximumResponseBytes: Int = 64 << 20,
                    tls: TLS? = nil, credentials: Credentials? = nil) {
            precondition(attempts >= 1, "attempts is at least 1")
            precondition(requestTimeout > .zero, "requestTimeout is positive")
            self.endpoints = endpoints
            self.requestTimeout = requestTimeout
            self.attempts = attempts
            self.initialBackoff = initialBackoff
            self.maximumResponseBytes = maximumResponseBytes
            self.tls = tls
            self.credentials = credentials
        }

        /// The longest a request can take before it fails: every attempt timing out, plus the
        /// pauses between them.
        public var retryBudget: Duration {
            var total = requestTimeout * attempts
            var pause = initialBackoff
            for _ in 1..<attempts {
                total += pause
                pause *= 2
            }
            return total
        }

        /// The endpoints without trailing slashes, each checked to be an `http(s)://host[:port]`
        /// address.
        func checkedEndpoints() throws(ConfigurationError) -> [String] {
            guard !endpoints.isEmpty else { throw .invalidEndpoint("", reason: "no endpoint was given") }
            var checked: [String] = []
            for endpoint in endpoints {
                do { checked.append(try ServiceEndpoint(parsing: endpoint).description) } catch {
                    throw .invalidEndpoint(endpoint, reason: error.reason)
                }
            }
            return checked
        }
    }
}
