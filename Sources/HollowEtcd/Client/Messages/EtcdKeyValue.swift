/// One key of etcd with its value and revisions.
package struct EtcdKeyValue: Sendable, Hashable {
    package var key: [UInt8]
    package var value: [UInt8]
    /// The revision that created the key (since its last deletion): a key's identity.
    package var createRevision: Int64
    /// The revision of its last change.
    package var modRevision: Int64
    /// How many times it was written since it was created.
    package var version: Int64
    /// The lease the key is attached to (0: none).
    package var lease: Int64

    package init(key: [UInt8], value: [UInt8], createRevision: Int64, modRevision: Int64, version: Int64, lease: Int64 = 0) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.lease = lease
    }

    /// The key as UTF-8 text (nil when it is not valid UTF-8).
    package var keyText: String? { String(validating: key, as: UTF8.self) }
    /// The value as UTF-8 text (nil when it is not valid UTF-8).
    package var valueText: String? { String(validating: value, as: UTF8.self) }
}
