extension EtcdConnection {
    /// Why a configuration cannot be used.
    public enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
        /// An endpoint that is not an `http(s)://host:port` address (`""`: no endpoint at all), and why.
        case invalidEndpoint(String, reason: String)
        /// A TLS file (`what`: "CA", "client certificate", "client key") that cannot be read or is
        /// not PEM.
        case unreadableTLSFile(what: String, path: String, reason: String)
        /// A TLS setting that needs another one (a client certificate without its key).
        case incompleteTLS(String)

        public var description: String {
            switch self {
            case .invalidEndpoint(let endpoint, let reason): "'\(endpoint)' is not an etcd endpoint (\(reason)): give http://host:port"
            case .unreadableTLSFile(let what, let path, let reason):
                "the etcd TLS \(what) file \(path) cannot be used (\(reason)): give a readable PEM file"
            case .incompleteTLS(let reason): "etcd TLS: \(reason)"
            }
        }
    }
}
