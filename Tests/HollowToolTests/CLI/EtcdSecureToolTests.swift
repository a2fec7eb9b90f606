import Foundation
import HollowEtcdTesting
import Testing

/// The tool against a three-member etcd with TLS (client certificates required) and
/// authentication on: --etcd-ca, --etcd-cert, --etcd-key, --etcd-user with the password from a
/// file or HOLLOW_ETCD_PASSWORD; clear errors for what is missing or wrong.
@Suite(.serialized) struct EtcdSecureToolTests {
    @Test func theToolWorksWithTLSAndAUserAndSaysWhatIsWrongOtherwise() async throws {
        let runner = ToolRunner()
        defer { runner.remove() }
        try runner.makeStore()
        try await EtcdCluster.with(tls: true, rootPassword: "root-secret") { cluster in
            let certificates = cluster.certificates!
            let passwordFile = runner.store + "/../etcd-password"
            try "root-secret\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
            let endpoints = cluster.endpoints.joined(separator: ",")
            let tls = ["--etcd", endpoints, "--etcd-prefix", "/hollow/secure",
                       "--etcd-ca", certificates.certificateAuthorityFile, "--etcd-cert", certificates.clientCertificateFile,
                       "--etcd-key", certificates.clientKeyFile]
            let options = tls + ["--etcd-user", "root", "--etcd-password-file", passwordFile]

            let produced = try await runner.produceFixture(1, options + ["--etcd-keep-announcements", "1"])
            #expect(produced.status == 0, "\(produced)")
            // The password from the environment; a member down changes nothing.
            await cluster.members[0].kill()
            let second = try await runner.produceFixture(2, tls + ["--etcd-user", "root", "--etcd-keep-announcements", "1"],
                                                         environment: ["HOLLOW_ETCD_PASSWORD": "root-secret"])
            #expect(second.status == 0 && second.output.contains("version 2 announced"), "\(second)")
            // Kept: the last announcement, and the snapshot it is a delta from.
            let history = try await runner.run(["history", "--store", runner.store] + options)
            #expect(history.status == 0 && history.lines.count == 2, "\(history)")
            let record = try await runner.run(["get", "--store", runner.store, "Movie", "1"] + options)
            #expect(record.status == 0 && record.output.contains("Seven Samurai"), "\(record)")

            // A wrong password: exit 69, with what to check.
            try "wrong\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
            let wrong = try await runner.run(["history", "--store", runner.store] + options)
            #expect(wrong.status == 69 && wrong.errors.contains("refused user 'root'") && wrong.errors.contains("--etcd-password-file"), "\(wrong)")
            // A user without a password: exit 64, before any connection.
            let noPassword = try await runner.run(["history", "--store", runner.store] + tls + ["--etcd-user", "root"],
                                                  environment: ["HOLLOW_ETCD_PASSWORD": ""])
            #expect(noPassword.status == 64 && noPassword.errors.contains("HOLLOW_ETCD_PASSWORD"), "\(noPassword)")
            // No CA: the server certificate is not trusted.
            let noCA = try await runner.run(["history", "--store", runner.store, "--etcd", endpoints, "--etcd-prefix", "/hollow/secure",
                                             "--etcd-cert", certificates.clientCertificateFile, "--etcd-key", certificates.clientKeyFile],
                                            environment: ["HOLLOW_ETCD_PASSWORD": "root-secret"])
            #expect(noCA.status == 69 && noCA.errors.contains("no TLS session") && noCA.errors.contains("--etcd-ca"), "\(noCA)")
            // A certificate without its key: exit 64.
            let noKey = try await runner.run(["history", "--store", runner.store, "--etcd", endpoints,
                                              "--etcd-cert", certificates.clientCertificateFile])
            #expect(noKey.status == 64 && noKey.errors.contains("--etcd-key"), "\(noKey)")
        }
    }
}
