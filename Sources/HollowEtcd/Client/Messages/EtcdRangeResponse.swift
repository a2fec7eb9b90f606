/// The keys a range read found, in key order.
package struct EtcdRangeResponse: Sendable, Hashable {
    package var header: EtcdResponseHeader
    package var kvs: [EtcdKeyValue]
    /// True when a limit cut the answer short: more keys follow the last one.
    package var more: Bool
    /// How many keys the range holds (before any limit).
    package var count: Int64

    package init(header: EtcdResponseHeader, kvs: [EtcdKeyValue], more: Bool = false, count: Int64? = nil) {
        self.header = header
        self.kvs = kvs
        self.more = more
        self.count = count ?? Int64(kvs.count)
    }
}
