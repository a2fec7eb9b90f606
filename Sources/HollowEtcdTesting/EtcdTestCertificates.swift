import Foundation

/// A certificate authority and the certificates of a test etcd cluster, made with `openssl` in a
/// directory: one server certificate for every member (client and peer URLs; a SAN of
/// `IP:127.0.0.1` and `DNS:localhost`) and a client certificate. The client certificate has no
/// CommonName: with authentication on, etcd's JSON gateway refuses a client certificate that has
/// one.
public struct EtcdTestCertificates: Sendable {
    public let directory: String
    public var certificateAuthorityFile: String { directory + "/ca.pem" }
    public var serverCertificateFile: String { directory + "/server.pem" }
    public var serverKeyFile: String { directory + "/server.key" }
    public var clientCertificateFile: String { directory + "/client.pem" }
    public var clientKeyFile: String { directory + "/client.key" }
    /// A CA that signed nothing of this cluster (a client trusting only it is refused).
    public var otherCertificateAuthorityFile: String { directory + "/other-ca.pem" }

    /// Makes them in `directory` (created if needed); needs `openssl` on PATH.
    public static func make(in directory: String) throws -> EtcdTestCertificates {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let extensions = """
            [server]
            subjectAltName=IP:127.0.0.1,DNS:localhost
            extendedKeyUsage=serverAuth,clientAuth
            [client]
            extendedKeyUsage=clientAuth

            """
        try extensions.write(toFile: directory + "/extensions.cnf", atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=hollow-test-ca"],
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key", "-out", "other-ca.pem", "-days", "2", "-subj", "/CN=other-ca"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=etcd"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
             "-days", "2", "-extfile", "extensions.cnf", "-extensions", "server"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr", "-subj", "/O=hollow-test-client"],
            ["x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "client.pem",
             "-days", "2", "-extfile", "extensions.cnf", "-extensions", "client"],
        ]
        for arguments in steps { try openssl(arguments, in: directory) }
        return EtcdTestCertificates(directory: directory)
    }

    private static func openssl(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw EtcdServer.Failure(description: "openssl \(arguments.joined(separator: " ")) failed: \(String(decoding: output, as: UTF8.self))")
        }
    }
}
