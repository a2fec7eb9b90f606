@testable import HollowS3
import Testing

/// The worked examples of the S3 documentation ("Signature Calculations for the Authorization
/// Header: Transferring Payload in a Single Chunk": examplebucket, AKIAIOSFODNN7EXAMPLE,
/// 2013-05-24T00:00:00Z), signed as the store signs: host, x-amz-date and x-amz-content-sha256
/// always, the payload's SHA-256 as the hash.
@Suite struct SigV4S3ExampleTests {
    static let signer = SigV4Signer(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                    region: "us-east-1", service: "s3")
    static let time = SigV4Timestamp(secondsSince1970: 1_369_353_600)

    static func headers(_ extra: [SigV4Request.Header], payload: String) -> [SigV4Request.Header] {
        [.init("Host", "examplebucket.s3.amazonaws.com"), .init("x-amz-date", time.amzDate), .init("x-amz-content-sha256", payload)] + extra
    }

    @Test func getObjectWithARange() {
        let request = SigV4Request(method: "GET", encodedPath: "/test.txt",
                                   headers: Self.headers([.init("Range", "bytes=0-9")], payload: Hex.emptySHA256), payloadSHA256: Hex.emptySHA256)
        let signature = Self.signer.sign(request, at: Self.time)
        #expect(signature.canonicalRequest == """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(signature.stringToSign == """
            AWS4-HMAC-SHA256
            20130524T000000Z
            20130524/us-east-1/s3/aws4_request
            7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
            """)
        #expect(signature.authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// A key with a character to encode (`$`) and a real body.
    @Test func putObjectWithABody() {
        let payload = Hex.sha256(Array("Welcome to Amazon S3.".utf8))
        #expect(payload == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let request = SigV4Request(
            method: "PUT", encodedPath: URIEncoding.path("/test$file.text"),
            headers: Self.headers([.init("Date", "Fri, 24 May 2013 00:00:00 GMT"), .init("x-amz-storage-class", "REDUCED_REDUNDANCY")], payload: payload),
            payloadSHA256: payload)
        let signature = Self.signer.sign(request, at: Self.time)
        #expect(signature.canonicalRequest.hasPrefix("PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013 00:00:00 GMT\n"))
        #expect(signature.stringToSign.hasSuffix("\n9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d"))
        #expect(signature.signedHeaders == "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class")
        #expect(signature.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    /// A sub-resource without a value is signed as `lifecycle=`.
    @Test func getBucketLifecycle() {
        let request = SigV4Request(method: "GET", encodedPath: "/", query: [.init("lifecycle", "")],
                                   headers: Self.headers([], payload: Hex.emptySHA256), payloadSHA256: Hex.emptySHA256)
        let signature = Self.signer.sign(request, at: Self.time)
        #expect(signature.canonicalRequest.hasPrefix("GET\n/\nlifecycle=\n"))
        #expect(signature.stringToSign.hasSuffix("\n9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca"))
        #expect(signature.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    /// The query sorted by name: `max-keys` before `prefix`, whatever order they came in.
    @Test func listObjectsWithAQuery() {
        let request = SigV4Request(method: "GET", encodedPath: "/", query: [.init("prefix", "J"), .init("max-keys", "2")],
                                   headers: Self.headers([], payload: Hex.emptySHA256), payloadSHA256: Hex.emptySHA256)
        let signature = Self.signer.sign(request, at: Self.time)
        #expect(signature.canonicalRequest.hasPrefix("GET\n/\nmax-keys=2&prefix=J\n"))
        #expect(signature.stringToSign.hasSuffix("\ndf57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7"))
        #expect(signature.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func encodingKeepsUnreservedCharactersAndSlashesInPaths() {
        #expect(URIEncoding.component("a b*(c)/+=~-_.") == "a%20b%2A%28c%29%2F%2B%3D~-_.")
        #expect(URIEncoding.path("/prefix/a b/é") == "/prefix/a%20b/%C3%A9")
    }

    @Test(arguments: [
        (0 as Int64, "19700101T000000Z"), (951_782_400, "20000229T000000Z"), (1_709_208_000, "20240229T120000Z"),
        (4_102_444_799, "20991231T235959Z"), (-1, "19691231T235959Z"),
    ])
    func timestampsAreUTC(seconds: Int64, expected: String) {
        #expect(SigV4Timestamp(secondsSince1970: seconds).amzDate == expected)
    }
}
