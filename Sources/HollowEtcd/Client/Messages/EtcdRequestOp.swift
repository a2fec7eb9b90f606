/// One operation of a transaction's success or failure branch.
package enum EtcdRequestOp: Sendable, Hashable {
    /// Writes `value` under `key`, attached to `lease` when not 0.
    case put(key: [UInt8], value: [UInt8], lease: Int64 = 0)
    /// Reads `key`, or the keys from `key` up to `rangeEnd` (excluded) when given.
    case range(key: [UInt8], rangeEnd: [UInt8]? = nil)
    /// Deletes `key`, or the keys from `key` up to `rangeEnd` (excluded) when given.
    case delete(key: [UInt8], rangeEnd: [UInt8]? = nil)
}
