import AsyncHTTPClient
import NIOSSL
import Synchronization

/// The HTTP clients etcd requests go over, one pair per TLS setting, process-wide and never shut
/// down (like `HTTPClient.shared`), so that an `EtcdConnection` holds nothing to shut down.
///
/// Both clients give up on a connection that cannot be made at once (a refused connection, a TLS
/// handshake that fails) instead of trying again until the request's deadline: the etcd client
/// then moves to the next member. They speak HTTP/1.1 only (etcd's gateway, not gRPC). The watch
/// client has no practical cap on connections per host: each open watch holds one.
struct EtcdHTTPClients: Sendable {
    let requests: HTTPClient
    let watches: HTTPClient

    private static let cache = Mutex<[EtcdConnection.TLS?: EtcdHTTPClients]>([:])

    /// The clients for `tls` (nil: plain HTTP, or HTTPS with the system's trust roots). TLS files
    /// are read the first time a setting is seen in this process.
    static func clients(for tls: EtcdConnection.TLS?) throws(EtcdConnection.ConfigurationError) -> EtcdHTTPClients {
        if let known = cache.withLock({ $0[tls] }) { return known }
        let tlsConfiguration = try tls.map { tls throws(EtcdConnection.ConfigurationError) in try makeTLSConfiguration(tls) }
        let made = EtcdHTTPClients(requests: makeClient(tlsConfiguration, connectionsPerHost: 64),
                                   watches: makeClient(tlsConfiguration, connectionsPerHost: 4096))
        return cache.withLock { cache in
            if let raced = cache[tls] {
                // Another task made them first: these never served a request.
                made.requests.shutdown { _ in }
                made.watches.shutdown { _ in }
                return raced
            }
            cache[tls] = made
            return made
        }
    }

    private static func makeClient(_ tls: TLSConfiguration?, connectionsPerHost: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tls
        configuration.httpVersion = .http1Only
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    private static func makeTLSConfiguration(_ tls: EtcdConnection.TLS) throws(EtcdConnection.ConfigurationError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let file = tls.certificateAuthorityFile {
            do { configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(file)) } catch {
                throw .unreadableTLSFile(what: "CA", path: file, reason: "\(error)")
            }
        }
        switch (tls.clientCertificateFile, tls.clientKeyFile) {
        case (nil, nil):
            break
        case (let certificate?, let key?):
            do { configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) } } catch {
                throw .unreadableTLSFile(what: "client certificate", path: certificate, reason: "\(error)")
            }
            do { configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)) } catch {
                throw .unreadableTLSFile(what: "client key", path: key, reason: "\(error)")
            }
        case (_?, nil):
            throw .incompleteTLS("a client certificate needs its private key: give the key file too")
        case (nil, _?):
            throw .incompleteTLS("a client key needs its certificate: give the certificate file too")
        }
        return configuration
    }
}
