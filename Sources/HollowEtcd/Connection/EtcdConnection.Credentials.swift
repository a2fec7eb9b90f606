extension EtcdConnection {
    /// An etcd user and its password, for a cluster with authentication on (`etcdctl auth
    /// enable`). The client asks etcd for a token (`/v3/auth/authenticate`), sends it with every
    /// request, and asks for a new one when etcd says it is invalid (expired, or the member that
    /// issued it restarted). The description never shows the password.
    public struct Credentials: Sendable, Hashable, CustomStringConvertible {
        public var user: String
        public var password: String

        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }

        public var description: String { "etcd user '\(user)'" }
    }
}
