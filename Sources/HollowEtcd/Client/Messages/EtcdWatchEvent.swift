/// One change a watch saw.
package struct EtcdWatchEvent: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        case put
        /// A delete, or the expiry of the lease the key was attached to.
        case delete
    }

    package var kind: Kind
    /// The key after the change (for a delete: the key and the revision of the delete, no value).
    package var kv: EtcdKeyValue

    package init(kind: Kind, kv: EtcdKeyValue) {
        self.kind = kind
        self.kv = kv
    }
}
