import AsyncHTTPClient
import Hollow
import Logging
import Synchronization

/// The S3 REST calls a blob store needs, signed with SigV4, over async-http-client, with the
/// store's retry rules (`S3Client+Send`). `package`: the product offers the store, not a
/// general S3 client; the tests and the testing module use it directly.
package final class S3Client: Sendable {
    let location: S3Location
    let credentialsProvider: any S3CredentialsProvider
    /// The credentials in use, asked for once and dropped when S3 refuses them.
    private let cachedCredentials = Mutex<S3Credentials?>(nil)
    let http: HTTPClient
    /// Where connections go when not to the host the requests name (tests: virtual-hosted
    /// requests to a server on loopback, with no DNS name for the bucket's host).
    let connectionOrigin: String?
    let requestTimeout: Duration
    /// A body this large gets one `requestTimeout` of its own on top of the first.
    let bytesPerTimeout: Int
    let attempts: Int
    let backoff: RetryBackoff
    let logger: Logger
    let metrics: S3Metrics
    /// Body bytes received so far (tests check that a refused body was not read).
    package let bytesReceived = Atomic<Int>(0)
    /// Tries being sent or answered now, by operation (tests check that parts go up in parallel).
    private let tries = Mutex<[S3Operation: Int]>([:])

    init(location: S3Location, configuration: S3BlobStore.Configuration, httpClient: HTTPClient,
         connectingTo: ServiceEndpoint?, logger: Logger) {
        self.location = location
        self.credentialsProvider = configuration.credentials
        self.http = httpClient
        self.connectionOrigin = connectingTo.map { ($0.isSecure ? "https://" : "http://") + $0.host + ($0.port.map { ":\($0)" } ?? "") }
        self.requestTimeout = configuration.requestTimeout
        self.bytesPerTimeout = configuration.partSize
        self.attempts = configuration.attempts
        self.backoff = configuration.backoff
        self.logger = logger
        self.metrics = S3Metrics(bucket: location.bucket)
    }

    /// A client of the bucket `configuration` names, checked first.
    package convenience init(configuration: S3BlobStore.Configuration, httpClient: HTTPClient = S3Client.sharedHTTPClient,
                             connectingTo: ServiceEndpoint? = nil,
                             logger: Logger = Logger(label: "hollow.s3")) throws(S3BlobStore.ConfigurationError) {
        self.init(location: try configuration.validated(), configuration: configuration, httpClient: httpClient,
                  connectingTo: connectingTo, logger: logger)
    }

    /// The process-wide HTTP client of every store (never shut down, like `HTTPClient.shared`):
    /// parts go up in parallel, so more connections per host than `HTTPClient.shared`'s 8; a
    /// refused connection fails at once (the store's own retries pause and count it) instead of
    /// being tried again until the deadline; redirects are S3 naming another region, reported.
    package static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(10))
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Tries of `operation` being sent or answered now.
    package func inFlight(_ operation: S3Operation) -> Int { tries.withLock { $0[operation] ?? 0 } }

    func recordTry(_ operation: S3Operation, started: Bool) {
        tries.withLock { $0[operation, default: 0] += started ? 1 : -1 }
        if started { metrics.inFlight.increment() } else { metrics.inFlight.decrement() }
    }

    /// The credentials to sign with: the cached ones, else the provider's.
    func currentCredentials() async throws(S3Error) -> S3Credentials {
        if let cached = cachedCredentials.withLock({ $0 }) { return cached }
        do {
            let fresh = try await credentialsProvider.credentials()
            cachedCredentials.withLock { $0 = fresh }
            return fresh
        } catch {
            throw .credentials(error)
        }
    }

    /// Forgets the credentials S3 refused: the next request asks the provider again (a key
    /// rotated in the environment or the file is picked up without a restart).
    func dropCredentials(_ refused: S3Credentials) {
        cachedCredentials.withLock { if $0 == refused { $0 = nil } }
    }

    /// The time one request may take to move `bytes` bytes: one `requestTimeout`, plus one per
    /// `bytesPerTimeout` bytes.
    func timeout(forBytes bytes: Int) -> Duration {
        requestTimeout * (1 + max(0, bytes) / max(1, bytesPerTimeout))
    }
}
