import Hollow

/// Where a store's requests go, checked: the service endpoint, the bucket and how it is
/// addressed, the key prefix and the region.
struct S3Location: Sendable, CustomStringConvertible {
    let service: ServiceEndpoint
    let bucket: String
    /// "" or ending with "/".
    let prefix: String
    let region: String
    /// `.path` or `.virtualHosted`, never `.automatic`.
    let style: S3BlobStore.AddressingStyle

    /// The host requests name (and sign): the bucket's own under virtual-hosted addressing.
    var host: String { style == .virtualHosted ? "\(bucket).\(service.host)" : service.host }

    /// The `Host` header: the host, and the port when it is not the scheme's.
    var hostHeader: String { host + (service.port.map { ":\($0)" } ?? "") }

    /// `scheme://host[:port]` of the requests.
    var origin: String { (service.isSecure ? "https://" : "http://") + hostHeader }

    /// The encoded path of a request on `key` (nil: the bucket itself).
    func path(forKey key: String?) -> String {
        let bucketPath = style == .path ? "/\(bucket)" : ""
        guard let key else { return bucketPath.isEmpty ? "/" : bucketPath }
        return bucketPath + "/" + URIEncoding.path(key)
    }

    func key(for name: BlobName) -> String { prefix + name.text }

    /// `s3://bucket/prefix`.
    var description: String { "s3://\(bucket)" + (prefix.isEmpty ? "" : "/" + prefix.dropLast()) }

    /// `s3://bucket/key`, to name one object in a message.
    func describe(key: String) -> String { "s3://\(bucket)/\(key)" }
}
