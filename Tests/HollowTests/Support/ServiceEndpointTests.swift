import Testing
@testable import Hollow

@Suite struct ServiceEndpointTests {
    @Test(arguments: [
        ("http://127.0.0.1:2379", "http://127.0.0.1:2379"),
        ("HTTPS://etcd-1.example.com:2379/", "https://etcd-1.example.com:2379"),
        ("http://[::1]:2379", "http://[::1]:2379"),
        ("http://localhost", "http://localhost"),
        ("http://etcd.example.com.:2379", "http://etcd.example.com.:2379"),
        ("http://etcd_0.cluster.local:2379", "http://etcd_0.cluster.local:2379"),
        ("http://[fe80::1%25eth0]:2379", "http://[fe80::1%25eth0]:2379"),
        ("http://[::ffff:10.0.0.1]:2379", "http://[::ffff:10.0.0.1]:2379"),
        ("http://10.0.0.255:2379", "http://10.0.0.255:2379"),
    ])
    func validEndpointsAreNormalized(_ text: String, _ normalized: String) throws {
        #expect(try ServiceEndpoint(parsing: text).description == normalized)
    }

    @Test(arguments: [
        ("127.0.0.1:2379", "it has no scheme"),
        ("ftp://host:21", "the scheme 'ftp' is not http or https"),
        ("http://", "it has no host"),
        ("http://:2379", "it has no host"),
        ("http://host:0", "the port 0 is not between 1 and 65535"),
        ("http://host:65536", "the port 65536 is not between 1 and 65535"),
        ("http://host:99999999999999999999", "the port '99999999999999999999' is not a number"),
        ("http://host:-1", "the port '-1' is not a number"),
        ("http://host:", "the port '' is not a number"),
        ("http://bad host:1", "'bad host' is not a host name"),
        ("http://a..b:1", "'a..b' is not a host name"),
        ("http://-a:1", "'-a' is not a host name"),
        ("http://h\u{00E9}st:1", "is not a host name"),
        ("http://[::1:2379", "no closing ']'"),
        ("http://[zz]:1", "is not an IPv6 address"),
        ("http://[1:::2]:1", "is not an IPv6 address"),
        ("http://[fe80::1%25]:1", "is not an IPv6 address"),
        ("http://999.1.1.1:1", "'999.1.1.1' is not an IPv4 address"),
        ("http://1.2.3:1", "'1.2.3' is not an IPv4 address"),
        ("http://a:1:2", "more than one ':'"),
        ("http://user:pw@host:1", "user information"),
        ("http://host:1/v3", "it has a path"),
        ("http://host:1?x=1", "query or fragment"),
    ])
    func badEndpointsAreRefusedWithAReason(_ text: String, _ reason: String) {
        #expect {
            try ServiceEndpoint(parsing: text)
        } throws: { error in
            (error as? ServiceEndpoint.Problem)?.reason.contains(reason) == true
        }
    }

    @Test func aBaseURLMayHaveAPath() throws {
        let endpoint = try ServiceEndpoint(parsing: "https://cdn.example.com/catalog/blobs/", allowsPath: true)
        #expect(endpoint.path == "/catalog/blobs" && endpoint.port == nil && endpoint.isSecure)
    }
}
