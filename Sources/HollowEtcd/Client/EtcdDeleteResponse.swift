/// What a delete did.
public struct EtcdDeleteResponse: Sendable, Hashable {
    public var header: EtcdResponseHeader
    /// How many keys it deleted.
    public var deleted: Int64

    public init(header: EtcdResponseHeader, deleted: Int64) {
        self.header = header
        self.deleted = deleted
    }
}
