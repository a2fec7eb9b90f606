/// What a delete did.
package struct EtcdDeleteResponse: Sendable, Hashable {
    package var header: EtcdResponseHeader
    /// How many keys it deleted.
    package var deleted: Int64

    package init(header: EtcdResponseHeader, deleted: Int64) {
        self.header = header
        self.deleted = deleted
    }
}
