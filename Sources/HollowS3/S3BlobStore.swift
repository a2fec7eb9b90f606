import AsyncHTTPClient
import Hollow
import Logging

/// A blob store in an S3 bucket (AWS, or an S3-compatible server: MinIO, Ceph, Garage...), for
/// producers and consumers on different hosts (docs/S3.md).
///
///     let store = try S3BlobStore(url: "s3://my-bucket/hollow/catalog")   // region, endpoint, keys from the environment
///     let store = try S3BlobStore(configuration: .init(bucket: "my-bucket", prefix: "hollow/catalog", region: "eu-west-1"))
///
/// A blob is the object `PREFIX/NAME`. A PUT is atomic per object and a multipart upload appears
/// only when it is completed (an upload that fails is aborted), so a reader never sees part of
/// a blob. `get(_:expectedSize:)` refuses an object of another size from its Content-Length,
/// before reading its body. Requests are signed with SigV4 and tried again after 5xx answers,
/// throttling and timeouts, with backoff and jitter, within `configuration.retryBudget`.
///
/// Requests go over a process-wide HTTP client that is never shut down, so a store holds nothing
/// that needs closing.
public struct S3BlobStore: BlobStore {
    public let configuration: Configuration
    let location: S3Location
    let client: S3Client
    let logger: Logger

    /// A store as `configuration` says, checked before any request.
    public init(configuration: Configuration, logger: Logger = Logger(label: "hollow.s3")) throws(ConfigurationError) {
        try self.init(configuration: configuration, httpClient: S3Client.sharedHTTPClient, connectingTo: nil, logger: logger)
    }

    /// A store at `s3://BUCKET/PREFIX` (see `Configuration.init(url:environment:)`): the region,
    /// endpoint and credentials come from the address or the environment, the rest are defaults.
    public init(url: String, logger: Logger = Logger(label: "hollow.s3")) throws(ConfigurationError) {
        try self.init(configuration: Configuration(url: url), logger: logger)
    }

    /// A store whose requests go over `httpClient`, and connect to `connectingTo` when given
    /// rather than to the host they name (tests of virtual-hosted addressing on loopback).
    package init(configuration: Configuration, httpClient: HTTPClient, connectingTo: ServiceEndpoint?, logger: Logger) throws(ConfigurationError) {
        self.configuration = configuration
        location = try configuration.validated()
        var logger = logger
        logger[metadataKey: "store"] = "\(location)"
        self.logger = logger
        client = S3Client(location: location, configuration: configuration, httpClient: httpClient, connectingTo: connectingTo, logger: logger)
    }

    /// `s3://BUCKET/PREFIX`.
    public var url: String { location.description }

    public func put(_ name: BlobName, _ bytes: [UInt8]) async throws(BlobStoreError) {
        let key = location.key(for: name)
        let sha256 = Hex.sha256(bytes)
        do {
            if bytes.count > configuration.multipartThreshold {
                try await putInParts(key: key, bytes: bytes, sha256: sha256)
            } else {
                try await client.putObject(key: key, bytes: bytes[...], sha256: sha256)
            }
        } catch {
            throw blobStoreError(error, name, "put")
        }
    }

    public func get(_ name: BlobName) async throws(BlobStoreError) -> [UInt8] {
        do { return try await client.getObject(key: location.key(for: name)) } catch { throw blobStoreError(error, name, "get") }
    }

    /// Refuses an object of another size from its Content-Length, before its body is read.
    public func get(_ name: BlobName, expectedSize: Int) async throws(BlobStoreError) -> [UInt8] {
        do { return try await client.getObject(key: location.key(for: name), expectedSize: expectedSize) } catch {
            throw blobStoreError(error, name, "get")
        }
    }

    /// S3 deletes a missing key without a word, so the key is looked up first: a blob that is
    /// not there is `notFound`, as on files.
    public func delete(_ name: BlobName) async throws(BlobStoreError) {
        let key = location.key(for: name)
        do throws(S3Error) {
            do throws(S3Error) { _ = try await client.headObject(key: key) } catch {
                // A HEAD's 404 does not say whether the key or the bucket is missing.
                if case .noSuchKey = error { try await client.headBucket() }
                throw error
            }
            try await client.deleteObject(key: key)
        } catch {
            throw blobStoreError(error, name, "delete")
        }
    }

    /// The blobs directly under the prefix, sorted; keys that are not blob names (further
    /// "directories", other tools' objects) are left out.
    public func list() async throws(BlobStoreError) -> [BlobName] {
        do {
            let objects = try await client.listObjects(prefix: location.prefix)
            return objects.compactMap { object in
                guard object.key.hasPrefix(location.prefix) else { return nil }
                return try? BlobName(String(object.key.dropFirst(location.prefix.count)))
            }.sorted()
        } catch {
            throw blobStoreError(error, nil, "list")
        }
    }
}
