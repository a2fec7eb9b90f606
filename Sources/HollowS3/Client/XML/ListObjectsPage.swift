/// One page of a ListObjectsV2 answer: the keys and sizes, and the token of the next page.
package struct ListObjectsPage: Sendable, Equatable {
    package struct Object: Sendable, Equatable {
        package var key: String
        package var size: Int
    }

    var objects: [Object]
    /// Set when the listing goes on (`IsTruncated` true).
    var nextContinuationToken: String?

    init(_ bytes: [UInt8]) throws(S3Error) {
        let document = XMLFragment(bytes)
        guard document.rootName == "ListBucketResult", let result = document.first("ListBucketResult") else {
            throw .malformedResponse(.listObjects, what: "no <ListBucketResult> in '\(String(decoding: bytes.prefix(200), as: UTF8.self))'")
        }
        var objects: [Object] = []
        for contents in result.elements("Contents") {
            guard let key = contents.value("Key") else { throw .malformedResponse(.listObjects, what: "an entry without <Key>") }
            guard let sizeText = contents.value("Size"), let size = Int(sizeText), size >= 0 else {
                throw .malformedResponse(.listObjects, what: "the entry '\(key)' has no valid <Size>")
            }
            objects.append(Object(key: key, size: size))
        }
        self.objects = objects
        let truncated = result.value("IsTruncated") == "true"
        if truncated {
            guard let token = result.value("NextContinuationToken"), !token.isEmpty else {
                throw .malformedResponse(.listObjects, what: "a truncated listing without <NextContinuationToken>")
            }
            nextContinuationToken = token
        } else {
            nextContinuationToken = nil
        }
    }
}
