import HollowEtcdTesting
@testable import HollowEtcd

extension EtcdCluster {
    /// TLS with the cluster's CA and client certificate (nil without TLS).
    var clientTLS: EtcdConnection.TLS? {
        certificates.map {
            EtcdConnection.TLS(certificateAuthorityFile: $0.certificateAuthorityFile, clientCertificateFile: $0.clientCertificateFile,
                               clientKeyFile: $0.clientKeyFile)
        }
    }

    /// Every endpoint, the cluster's TLS and user root; short timeouts so that a dead member is
    /// left quickly.
    func configuration(timeout: Duration = .seconds(5), attempts: Int = 3) -> EtcdConnection.Configuration {
        EtcdConnection.Configuration(endpoints: endpoints, requestTimeout: timeout, attempts: attempts, tls: clientTLS,
                                     credentials: rootPassword.map { .init(user: "root", password: $0) })
    }

    func client(timeout: Duration = .seconds(5)) throws -> EtcdClient {
        try EtcdClient(configuration: configuration(timeout: timeout), logger: quiet)
    }

    func connection(timeout: Duration = .seconds(5)) throws -> EtcdConnection {
        EtcdConnection(client: try client(timeout: timeout))
    }
}
