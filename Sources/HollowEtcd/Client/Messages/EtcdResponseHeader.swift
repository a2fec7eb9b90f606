/// The part of every etcd response that says at which revision of the store it was answered.
package struct EtcdResponseHeader: Sendable, Hashable {
    /// The store's revision when the request was applied (for a write: the revision it made).
    package var revision: Int64

    package init(revision: Int64) { self.revision = revision }
}
