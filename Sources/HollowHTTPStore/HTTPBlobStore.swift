import AsyncHTTPClient
import Foundation
import Hollow
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// A read-only blob store for consumers: blobs fetched by name from a base URL, served by any
/// static HTTP server (nginx over the producer's blob directory, a CDN in front of a bucket).
///
///     let blobs = try HTTPBlobStore(configuration: .init(baseURL: "https://cdn.example.com/catalog/blobs",
///                                                        headers: [.bearer(token)]))
///     let consumer = Consumer(blobStore: blobs, announcementLog: etcdLog)
///     ...
///     try await blobs.shutdown()
///
/// A blob's size is checked against its announcement from the `Content-Length` header before its
/// body is read, and again against the body; the consumer checks its SHA-256. Server failures (5xx,
/// 429) and unreachable servers are tried again with backoff and jitter, up to `attempts`; 404 and
/// 410 mean the blob is not there. Redirects are followed. The store cannot list, write or delete:
/// a producer writes to the store the server serves from.
public final class HTTPBlobStore: BlobStore {
    public let configuration: Configuration
    private let base: String
    /// The store's own client: its redirect limit and trust store are the store's.
    private let client: HTTPClient
    private let logger: Logger

    /// A store at `configuration.baseURL`, checked before any request: `http` or `https`, a valid
    /// host and port, no query or fragment.
    public init(configuration: Configuration, logger: Logger = Logger(label: "hollow.http-store")) throws(BlobStoreError) {
        let endpoint: ServiceEndpoint
        do { endpoint = try ServiceEndpoint(parsing: configuration.baseURL, allowsPath: true) } catch {
            throw .unavailable("the base URL '\(configuration.baseURL)' is not usable: \(error.reason)")
        }
        guard configuration.attempts >= 1 else { throw .unavailable("attempts is \(configuration.attempts): at least 1") }
        for header in configuration.headers where !Self.isValidHeader(header) {
            throw .unavailable("the header '\(header.name)' is not a valid HTTP header")
        }
        self.configuration = configuration
        base = endpoint.description
        self.logger = logger
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.redirectConfiguration = configuration.maximumRedirects > 0
            ? .follow(max: configuration.maximumRedirects, allowCycles: false) : .disallow
        clientConfiguration.timeout = .init(connect: .milliseconds(Swift.max(1, configuration.connectTimeout.milliseconds)))
        if let file = configuration.trustedCertificatesFile {
            var tls = TLSConfiguration.makeClientConfiguration()
            do { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(file)) } catch {
                throw .unavailable("the certificate authorities in \(file) cannot be read: \(error)")
            }
            clientConfiguration.tlsConfiguration = tls
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
    }

    /// Closes the store's connections. Call it once the store is no longer used.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func get(_ name: BlobName) async throws(BlobStoreError) -> [UInt8] {
        try await fetch(name, expectedSize: nil)
    }

    public func get(_ name: BlobName, expectedSize: Int) async throws(BlobStoreError) -> [UInt8] {
        try await fetch(name, expectedSize: expectedSize)
    }

    public func put(_ name: BlobName, _ bytes: [UInt8]) async throws(BlobStoreError) {
        throw .unavailable("\(base) is read-only over HTTP: a producer writes to the store the server serves from")
    }

    public func delete(_ name: BlobName) async throws(BlobStoreError) {
        throw .unavailable("\(base) is read-only over HTTP: a producer's cleaner deletes from the store the server serves from")
    }

    public func list() async throws(BlobStoreError) -> [BlobName] {
        throw .unavailable("\(base) cannot be listed over HTTP")
    }

    // MARK: Fetching

    /// What one attempt came to: the bytes, or a failure that another attempt may get past.
    private enum Attempt {
        case bytes([UInt8])
        case retry(String)
    }

    private func fetch(_ name: BlobName, expectedSize: Int?) async throws(BlobStoreError) -> [UInt8] {
        let url = base + "/" + name.text
        var failures = 0
        while true {
            let attempt: Attempt
            do { attempt = try await fetchOnce(url, name, expectedSize: expectedSize) } catch let error as BlobStoreError {
                throw error
            } catch {
                attempt = .retry("\(error)")
            }
            switch attempt {
            case .bytes(let bytes): return bytes
            case .retry(let reason):
                failures += 1
                guard failures < configuration.attempts else {
                    throw .unavailable("GET \(url): \(reason) (\(failures) attempt\(failures == 1 ? "" : "s"))")
                }
                let delay = configuration.backoff.delay(afterFailures: failures)
                logger.debug("blob fetch failed, trying again", metadata: ["url": "\(url)", "reason": "\(reason)", "after": "\(delay)"])
                do { try await Task.sleep(for: delay) } catch { throw .unavailable("GET \(url): cancelled") }
            }
        }
    }

    private func fetchOnce(_ url: String, _ name: BlobName, expectedSize: Int?) async throws -> Attempt {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        for header in configuration.headers { request.headers.add(name: header.name, value: header.value) }
        let response = try await client.execute(request, timeout: .nanoseconds(configuration.requestTimeout.nanoseconds))
        switch response.status.code {
        case 200:
            break
        case 404, 410:
            throw BlobStoreError.notFound(name)
        case 401, 403:
            throw BlobStoreError.unavailable("GET \(url): refused (HTTP \(response.status.code)): check the credentials sent (headers) and the server's access rules")
        case 429, 500...599:
            return .retry("HTTP \(response.status.code)")
        default:
            throw BlobStoreError.unavailable("GET \(url): HTTP \(response.status.code) \(response.status.reasonPhrase)")
        }
        // The size, before the body is read: a huge body in a small blob's place is not taken in.
        let declared = response.headers.first(name: "Content-Length").flatMap(Int.init)
        if let expectedSize, let declared, declared != expectedSize {
            throw BlobStoreError.sizeMismatch(name, expected: expectedSize, found: declared)
        }
        let limit = expectedSize.map { $0 + 1 } ?? configuration.maximumBlobBytes
        var body: ByteBuffer
        do { body = try await response.body.collect(upTo: limit) } catch is NIOTooManyBytesError {
            throw BlobStoreError.sizeMismatch(name, expected: expectedSize ?? configuration.maximumBlobBytes, found: limit)
        }
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        if let expectedSize, bytes.count != expectedSize {
            // A body cut short (the connection dropped) is worth another attempt; a longer one is not.
            if bytes.count < expectedSize, declared == nil || declared == expectedSize { return .retry("the body ended at \(bytes.count) of \(expectedSize) bytes") }
            throw BlobStoreError.sizeMismatch(name, expected: expectedSize, found: bytes.count)
        }
        return .bytes(bytes)
    }

    private static func isValidHeader(_ header: (name: String, value: String)) -> Bool {
        let token = CharacterSet(charactersIn: "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return !header.name.isEmpty && header.name.unicodeScalars.allSatisfy(token.contains)
            && !header.value.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" })
    }
}
