/// One key of etcd with its value and revisions.
public struct EtcdKeyValue: Sendable, Hashable {
    public var key: [UInt8]
    public var value: [UInt8]
    /// The revision that created the key (since its last deletion): a key's identity.
    public var createRevision: Int64
    /// The revision of its last change.
    public var modRevision: Int64
    /// How many times it was written since it was created.
    public var version: Int64
    /// The lease the key is attached to (0: none).
    public var lease: Int64

    public init(key: [UInt8], value: [UInt8], createRevision: Int64, modRevision: Int64, version: Int64, lease: Int64 = 0) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.lease = lease
    }

    /// The key as UTF-8 text (nil when it is not valid UTF-8).
    public var keyText: String? { String(validating: key, as: UTF8.self) }
    /// The value as UTF-8 text (nil when it is not valid UTF-8).
    public var valueText: String? { String(validating: value, as: UTF8.self) }
}
