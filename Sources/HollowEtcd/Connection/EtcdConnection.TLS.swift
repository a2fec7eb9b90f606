extension EtcdConnection {
    /// TLS to etcd's client URLs (`https://` endpoints): the certificate authorities that signed
    /// etcd's server certificates, and the client certificate etcd asks for when it runs with
    /// `--client-cert-auth`. Files are PEM; they are read when the connection is made.
    ///
    /// With authentication on, etcd's JSON gateway refuses a client certificate that has a
    /// CommonName ("CommonName of client sending a request against gateway will be ignored"):
    /// give the client certificate an empty CN (a subject of, say, `/O=hollow`) and authenticate
    /// with `Credentials`.
    public struct TLS: Sendable, Hashable {
        /// The certificate authorities to trust (PEM, one or more); nil: the system's.
        public var certificateAuthorityFile: String?
        /// The client certificate chain (PEM), for `--client-cert-auth`; needs `clientKeyFile`.
        public var clientCertificateFile: String?
        /// The client certificate's private key (PEM).
        public var clientKeyFile: String?

        public init(certificateAuthorityFile: String? = nil, clientCertificateFile: String? = nil, clientKeyFile: String? = nil) {
            self.certificateAuthorityFile = certificateAuthorityFile
            self.clientCertificateFile = clientCertificateFile
            self.clientKeyFile = clientKeyFile
        }
    }
}
