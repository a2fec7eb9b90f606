/// The keys a range read found, in key order.
public struct EtcdRangeResponse: Sendable, Hashable {
    public var header: EtcdResponseHeader
    public var kvs: [EtcdKeyValue]
    /// True when a limit cut the answer short: more keys follow the last one.
    public var more: Bool
    /// How many keys the range holds (before any limit).
    public var count: Int64

    public init(header: EtcdResponseHeader, kvs: [EtcdKeyValue], more: Bool = false, count: Int64? = nil) {
        self.header = header
        self.kvs = kvs
        self.more = more
        self.count = count ?? Int64(kvs.count)
    }
}
