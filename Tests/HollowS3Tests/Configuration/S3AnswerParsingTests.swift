@testable import HollowS3
import Testing

/// S3's XML answers as the client reads them, and which answers are tried again.
@Suite struct S3AnswerParsingTests {
    @Test func aListingPageGivesKeysSizesAndTheNextToken() throws {
        let page = try ListObjectsPage(Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>p/</Prefix><KeyCount>2</KeyCount>
            <IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
            <Contents><Key>p/a&amp;b</Key><Size>12</Size><ETag>&quot;x&quot;</ETag></Contents>
            <Contents><Key>p/snapshot-1</Key><Size>0</Size></Contents><CommonPrefixes><Prefix>p/sub/</Prefix></CommonPrefixes>
            </ListBucketResult>
            """.utf8))
        #expect(page.objects == [.init(key: "p/a&b", size: 12), .init(key: "p/snapshot-1", size: 0)])
        #expect(page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")

        let last = try ListObjectsPage(Array("<ListBucketResult><IsTruncated>false</IsTruncated><Prefix/></ListBucketResult>".utf8))
        #expect(last.objects.isEmpty && last.nextContinuationToken == nil)
        #expect(throws: S3Error.self) { try ListObjectsPage(Array("<html>proxy error</html>".utf8)) }
        #expect(throws: S3Error.self) { try ListObjectsPage(Array("<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents></ListBucketResult>".utf8)) }
    }

    @Test func anErrorDocumentGivesItsCodeMessageAndRegion() {
        let body = S3ErrorBody(Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>AuthorizationHeaderMalformed</Code><Message>the region &apos;us-east-1&apos; is wrong</Message><Region>eu-west-1</Region></Error>
            """.utf8))
        #expect(body == S3ErrorBody(code: "AuthorizationHeaderMalformed", message: "the region 'us-east-1' is wrong", region: "eu-west-1"))
        #expect(S3ErrorBody([]) == nil)
        #expect(S3ErrorBody(Array("<!doctype html><title>500 Internal Server Error</title>".utf8)) == nil)
        #expect(XMLFragment(Substring("&#65;&#x42;&lt;&bogus;&")).decodedText == "AB<&bogus;&")
    }

    @Test(arguments: [
        (503, "SlowDown", true), (500, "InternalError", true), (500, nil, true), (502, nil, true), (504, nil, true),
        (429, nil, true), (400, "RequestTimeout", true), (400, "ThrottlingException", true), (200, "InternalError", true),
        (501, "NotImplemented", false), (404, "NoSuchKey", false), (403, "AccessDenied", false), (400, "InvalidArgument", false),
        (409, "OperationAborted", true),
    ] as [(Int, String?, Bool)])
    func transientAnswersAreTriedAgain(status: Int, code: String?, retried: Bool) {
        #expect(S3RetryRule.isRetryable(status: status, code: code) == retried)
    }
}
