/// One change a watch saw.
public struct EtcdWatchEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case put
        /// A delete, or the expiry of the lease the key was attached to.
        case delete
    }

    public var kind: Kind
    /// The key after the change (for a delete: the key and the revision of the delete, no value).
    public var kv: EtcdKeyValue

    public init(kind: Kind, kv: EtcdKeyValue) {
        self.kind = kind
        self.kv = kv
    }
}
