/// One endpoint of etcd's JSON gateway, and whether a request to it may be sent again when its
/// outcome is unknown.
struct EtcdOperation: Sendable {
    var name: String
    var path: String
    /// Reads and lease keep-alives: sending them twice does no harm.
    var safeToRepeat: Bool

    static let range = EtcdOperation(name: "range", path: "/v3/kv/range", safeToRepeat: true)
    static let put = EtcdOperation(name: "put", path: "/v3/kv/put", safeToRepeat: false)
    static let delete = EtcdOperation(name: "delete", path: "/v3/kv/deleterange", safeToRepeat: false)
    static let txn = EtcdOperation(name: "txn", path: "/v3/kv/txn", safeToRepeat: false)
    static let leaseGrant = EtcdOperation(name: "lease grant", path: "/v3/lease/grant", safeToRepeat: false)
    static let leaseKeepAlive = EtcdOperation(name: "lease keepalive", path: "/v3/lease/keepalive", safeToRepeat: true)
    static let leaseRevoke = EtcdOperation(name: "lease revoke", path: "/v3/lease/revoke", safeToRepeat: false)
    static let compaction = EtcdOperation(name: "compaction", path: "/v3/kv/compaction", safeToRepeat: true)
    static let authenticate = EtcdOperation(name: "authenticate", path: "/v3/auth/authenticate", safeToRepeat: true)
    static let watch = EtcdOperation(name: "watch", path: "/v3/watch", safeToRepeat: true)
}
