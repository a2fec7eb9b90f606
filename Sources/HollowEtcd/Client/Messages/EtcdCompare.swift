/// One condition of a transaction: a key's revision, version or value compared with a given one
/// (`EtcdCompare(key, .value(v), .less)` holds when the stored value is below `v`, bytewise).
/// A key that does not exist has revisions and version 0, and no value (every value comparison
/// on it fails, etcd's rule).
package struct EtcdCompare: Sendable, Hashable {
    package enum Target: Sendable, Hashable {
        case create(Int64)
        case mod(Int64)
        case version(Int64)
        case value([UInt8])
    }

    package enum Result: String, Sendable, Hashable {
        case equal = "EQUAL"
        case greater = "GREATER"
        case less = "LESS"
        case notEqual = "NOT_EQUAL"
    }

    package var key: [UInt8]
    package var result: Result
    package var target: Target

    /// `key`'s target `result` the given one: `EtcdCompare(key, .create(0), .equal)` holds when the
    /// key does not exist.
    package init(_ key: [UInt8], _ target: Target, _ result: Result) {
        self.key = key
        self.target = target
        self.result = result
    }
}
