import HollowEtcdTesting
import Foundation
import Hollow
@testable import HollowEtcd
import Testing

/// TLS with a CA and a client certificate, and etcd's authentication with a token that is renewed
/// when it expires, on a three-member cluster.
@Suite(.serialized) struct EtcdTLSAndAuthenticationTests {
    @Test func tlsWithTheCAAndAClientCertificateWorksAndAClientWithoutTheCAIsRefusedClearly() async throws {
        try await EtcdCluster.with(tls: true, rootPassword: "root-secret") { cluster in
            let prefix = uniquePrefix("tls")
            let log = EtcdAnnouncementLog(connection: try cluster.connection(), prefix: prefix, fenced: false, logger: quiet)
            try await log.append(announcement(1))
            #expect(try await log.history().announcements.map(\.version) == [1])

            // Trusting another CA: the handshake fails, and the error says what to check.
            var untrusting = cluster.configuration(timeout: .seconds(2), attempts: 1)
            untrusting.tls?.certificateAuthorityFile = cluster.certificates!.otherCertificateAuthorityFile
            let refused = EtcdAnnouncementLog(connection: try EtcdConnection(configuration: untrusting, logger: quiet), prefix: prefix, logger: quiet)
            let error = await #expect(throws: AnnouncementLogError.self) { try await refused.history() }
            #expect("\(error!)".contains("no TLS session with etcd") && "\(error!)".contains("--etcd-ca"), "\(error!)")

            // No client certificate for an etcd with --client-cert-auth: refused too.
            var anonymous = cluster.configuration(timeout: .seconds(2), attempts: 1)
            anonymous.tls?.clientCertificateFile = nil
            anonymous.tls?.clientKeyFile = nil
            let noCertificate = EtcdAnnouncementLog(connection: try EtcdConnection(configuration: anonymous, logger: quiet), prefix: prefix, logger: quiet)
            let certificateError = await #expect(throws: AnnouncementLogError.self) { try await noCertificate.history() }
            #expect("\(certificateError!)".contains("etcd"), "\(certificateError!)")

            // A missing CA file is a configuration error that names it.
            var missing = cluster.configuration()
            missing.tls?.certificateAuthorityFile = "/nonexistent/ca.pem"
            #expect(throws: EtcdConnection.ConfigurationError.self) { try EtcdConnection(configuration: missing, logger: quiet) }
        }
    }

    @Test func aWrongPasswordIsAClearErrorAndAnExpiredTokenIsRenewed() async throws {
        try await EtcdCluster.with(tls: true, rootPassword: "root-secret", authTokenTTL: 2) { cluster in
            let prefix = uniquePrefix("auth")
            var wrong = cluster.configuration()
            wrong.credentials = .init(user: "root", password: "not-the-password")
            let refused = EtcdAnnouncementLog(connection: try EtcdConnection(configuration: wrong, logger: quiet), prefix: prefix, logger: quiet)
            let error = await #expect(throws: AnnouncementLogError.self) { try await refused.history() }
            #expect("\(error!)".contains("refused user 'root'") && "\(error!)".contains("--etcd-password-file"), "\(error!)")

            // No user at all: etcd's refusal says authentication is on.
            var anonymous = cluster.configuration()
            anonymous.credentials = nil
            let noUser = EtcdAnnouncementLog(connection: try EtcdConnection(configuration: anonymous, logger: quiet), prefix: prefix, logger: quiet)
            let noUserError = await #expect(throws: AnnouncementLogError.self) { try await noUser.history() }
            #expect("\(noUserError!)".contains("authentication on"), "\(noUserError!)")

            let client = try cluster.client()
            let log = EtcdAnnouncementLog(connection: EtcdConnection(client: client), prefix: prefix, fenced: false, logger: quiet)
            try await log.append(announcement(1))
            // One authentication, or a few when a loaded machine let the 2 s token lapse meanwhile.
            let first = client.authentications.load(ordering: .relaxed)
            #expect(first >= 1)
            // Idle past the token's TTL (2 s; etcd checks every second): the token expires, the
            // client asks for a new one and the request goes through.
            try await Task.sleep(for: .seconds(5))
            try await log.append(announcement(2))
            #expect(client.authentications.load(ordering: .relaxed) > first)
            #expect(try await log.history().announcements.map(\.version) == [1, 2])
            // A watch opened with an expired token gets a new one too.
            try await Task.sleep(for: .seconds(5))
            let reader = EtcdAnnouncementLog(connection: EtcdConnection(client: client), prefix: prefix, fenced: false, logger: quiet)
            var changes = reader.watch().makeAsyncIterator()
            _ = await changes.next()  // at once
            _ = await changes.next()  // the watch is in place
            try await log.append(announcement(3))
            _ = await changes.next()
            #expect(try await reader.history().announcements.map(\.version) == [1, 2, 3])
        }
    }
}
