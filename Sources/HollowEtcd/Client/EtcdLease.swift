/// A lease etcd granted: keys attached to it are deleted when it expires or is revoked.
public struct EtcdLease: Sendable, Hashable {
    public var id: Int64
    /// Seconds until it expires unless kept alive. etcd may grant more than asked: it raises a TTL
    /// below its minimum (2 s with default election settings) to that minimum.
    public var ttl: Int64

    public init(id: Int64, ttl: Int64) {
        self.id = id
        self.ttl = ttl
    }
}
