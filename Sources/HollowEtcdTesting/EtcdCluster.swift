import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// A real etcd cluster of several members on loopback for one test, each on free ports with its
/// own data dir, optionally with TLS everywhere (certificates made by `openssl`, clients must show
/// one: `--client-cert-auth`) and authentication on (user `root` with `rootPassword`). Members are
/// killed and restarted on their own (`EtcdClusterMember`). Needs `etcd` and `openssl`.
///
///     try await EtcdCluster.with(tls: true, rootPassword: "secret") { cluster in
///         let etcd = try EtcdConnection(configuration: .init(endpoints: cluster.endpoints, tls: ..., credentials: ...))
///         await cluster.members[0].kill()
///         ...
///     }
public final class EtcdCluster: Sendable {
    public let members: [EtcdClusterMember]
    /// The certificates, with `tls`.
    public let certificates: EtcdTestCertificates?
    /// The password of user `root`, with authentication on.
    public let rootPassword: String?
    public let root: String
    private let healthClient: HTTPClient

    /// Every member's client URL.
    public var endpoints: [String] { members.map(\.endpoint) }

    private init(members: [EtcdClusterMember], certificates: EtcdTestCertificates?, rootPassword: String?, root: String, healthClient: HTTPClient) {
        self.members = members
        self.certificates = certificates
        self.rootPassword = rootPassword
        self.root = root
        self.healthClient = healthClient
    }

    /// Starts `size` members and waits until each answers `/health` (60 s at most); with
    /// `rootPassword`, adds user root and turns authentication on. `authTokenTTL` (seconds) is
    /// etcd's `--auth-token-ttl` for its simple tokens (default 300).
    public static func start(size: Int = 3, tls: Bool = true, rootPassword: String? = nil, authTokenTTL: Int? = nil) async throws -> EtcdCluster {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hollow-etcd-cluster-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let certificates = tls ? try EtcdTestCertificates.make(in: root + "/tls") : nil
        var configuration = HTTPClient.Configuration()
        if let certificates {
            var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            tlsConfiguration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificates.certificateAuthorityFile))
            tlsConfiguration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificates.clientCertificateFile).map { .certificate($0) }
            tlsConfiguration.privateKey = .privateKey(try NIOSSLPrivateKey(file: certificates.clientKeyFile, format: .pem))
            configuration.tlsConfiguration = tlsConfiguration
        }
        configuration.httpVersion = .http1Only
        let healthClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var lastError: (any Error)?
        for _ in 0..<2 {
            let members = try makeMembers(size: size, root: root + "/try-\(UUID().uuidString.prefix(6))", certificates: certificates,
                                          authTokenTTL: authTokenTTL, healthClient: healthClient)
            let cluster = EtcdCluster(members: members, certificates: certificates, rootPassword: rootPassword, root: root, healthClient: healthClient)
            do {
                for member in members { try member.launch() }
                for member in members { try await member.waitUntilHealthy(within: .seconds(60)) }
                if let rootPassword { try await cluster.enableAuthentication(rootPassword: rootPassword) }
                return cluster
            } catch {
                lastError = error
                for member in members { await member.kill() }
            }
        }
        try? await healthClient.shutdown()
        try? FileManager.default.removeItem(atPath: root)
        throw lastError ?? EtcdServer.Failure(description: "the etcd cluster did not start")
    }

    /// Starts a cluster, runs `body`, and stops it whether `body` failed or not.
    public static func with<T>(size: Int = 3, tls: Bool = true, rootPassword: String? = nil, authTokenTTL: Int? = nil,
                               _ body: (EtcdCluster) async throws -> T) async throws -> T {
        let cluster = try await start(size: size, tls: tls, rootPassword: rootPassword, authTokenTTL: authTokenTTL)
        do {
            let result = try await body(cluster)
            await cluster.stop()
            return result
        } catch {
            await cluster.stop()
            throw error
        }
    }

    /// Stops every member and removes the directory.
    public func stop() async {
        for member in members { await member.terminate() }
        try? await healthClient.shutdown()
        try? FileManager.default.removeItem(atPath: root)
    }

    private static func makeMembers(size: Int, root: String, certificates: EtcdTestCertificates?, authTokenTTL: Int?,
                                    healthClient: HTTPClient) throws -> [EtcdClusterMember] {
        let scheme = certificates == nil ? "http" : "https"
        let ports = try (0..<size).map { _ in (client: try EtcdServer.freePort(), peer: try EtcdServer.freePort()) }
        let names = (1...size).map { "member-\($0)" }
        let initialCluster = zip(names, ports).map { "\($0)=\(scheme)://127.0.0.1:\($1.peer)" }.joined(separator: ",")
        var tlsArguments: [String] = []
        if let certificates {
            tlsArguments = [
                "--cert-file", certificates.serverCertificateFile, "--key-file", certificates.serverKeyFile,
                "--trusted-ca-file", certificates.certificateAuthorityFile, "--client-cert-auth",
                "--peer-cert-file", certificates.serverCertificateFile, "--peer-key-file", certificates.serverKeyFile,
                "--peer-trusted-ca-file", certificates.certificateAuthorityFile, "--peer-client-cert-auth",
            ]
        }
        let extraArguments = authTokenTTL.map { ["--auth-token", "simple", "--auth-token-ttl", "\($0)"] } ?? []
        return zip(names, ports).map { name, port in
            EtcdClusterMember(name: name, clientPort: port.client, peerPort: port.peer, root: root + "/" + name, scheme: scheme,
                              initialCluster: initialCluster, tlsArguments: tlsArguments, extraArguments: extraArguments, healthClient: healthClient)
        }
    }

    /// User root with `rootPassword` and the root role, then `auth enable`, over the JSON API.
    private func enableAuthentication(rootPassword: String) async throws {
        let password = String(decoding: try JSONEncoder().encode(rootPassword), as: UTF8.self)
        for (path, body) in [("/v3/auth/user/add", "{\"name\":\"root\",\"password\":\(password)}"),
                             ("/v3/auth/user/grant", "{\"user\":\"root\",\"role\":\"root\"}"),
                             ("/v3/auth/enable", "{}")] {
            var request = HTTPClientRequest(url: members[0].endpoint + path)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await healthClient.execute(request, timeout: .seconds(10))
            let answer = String(buffer: try await response.body.collect(upTo: 1 << 16))
            guard response.status.code == 200 else {
                throw EtcdServer.Failure(description: "etcd \(path): HTTP \(response.status.code) \(answer)")
            }
        }
    }
}
