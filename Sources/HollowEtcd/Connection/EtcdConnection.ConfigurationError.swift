extension EtcdConnection {
    /// Why a configuration cannot be used.
    public enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
        /// An endpoint that is not an `http(s)://host:port` address (`""`: no endpoint at all), and why.
        case invalidEndpoint(String, reason: String)

        public var description: String {
            switch self {
            case .invalidEndpoint(let endpoint, let reason): "'\(endpoint)' is not an etcd endpoint (\(reason)): give http://host:port"
            }
        }
    }
}
