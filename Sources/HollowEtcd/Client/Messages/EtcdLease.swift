/// A lease etcd granted: keys attached to it are deleted when it expires or is revoked.
package struct EtcdLease: Sendable, Hashable {
    package var id: Int64
    /// Seconds until it expires unless kept alive. etcd may grant more than asked: it raises a TTL
    /// below its minimum (2 s with default election settings) to that minimum.
    package var ttl: Int64

    package init(id: Int64, ttl: Int64) {
        self.id = id
        self.ttl = ttl
    }
}
