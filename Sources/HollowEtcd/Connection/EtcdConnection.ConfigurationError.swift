extension EtcdConnection {
    /// Why a configuration cannot be used.
    public enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
        /// An endpoint that is not an `http://host:port` address (`""`: no endpoint at all).
        case invalidEndpoint(String)

        public var description: String {
            switch self {
            case .invalidEndpoint(let endpoint): "'\(endpoint)' is not an etcd endpoint: give http://host:port"
            }
        }
    }
}
