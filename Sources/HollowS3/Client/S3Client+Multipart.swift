import NIOHTTP1

extension S3Client {
    /// CreateMultipartUpload: an upload id. Nothing is visible under `key` until it is completed.
    package func createMultipartUpload(key: String, sha256: String) async throws(S3Error) -> String {
        let request = S3Request(.createMultipartUpload, .POST, key: key, query: [.init("uploads", "")],
                                headers: [.init(Self.sha256Metadata, sha256), .init("content-type", "application/octet-stream")])
        let document = XMLFragment(try await send(request).body)
        guard let uploadID = document.first("InitiateMultipartUploadResult")?.value("UploadId"), !uploadID.isEmpty else {
            throw .malformedResponse(.createMultipartUpload, what: "no <UploadId> for '\(key)'")
        }
        return uploadID
    }

    /// UploadPart: the part's ETag, which completing the upload names. Part numbers start at 1.
    package func uploadPart(key: String, uploadID: String, number: Int, bytes: ArraySlice<UInt8>) async throws(S3Error) -> String {
        let request = S3Request(.uploadPart, .PUT, key: key, query: [.init("partNumber", String(number)), .init("uploadId", uploadID)],
                                body: bytes)
        let response = try await send(request)
        guard let etag = response.headers.first(name: "etag"), !etag.isEmpty else {
            throw .malformedResponse(.uploadPart, what: "no ETag for part \(number) of '\(key)'")
        }
        return etag
    }

    /// CompleteMultipartUpload: the parts, in order, become the object, all at once.
    package func completeMultipartUpload(key: String, uploadID: String, etags: [String]) async throws(S3Error) {
        var document = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (index, etag) in etags.enumerated() {
            document += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(Self.escapeXML(etag))</ETag></Part>"
        }
        document += "</CompleteMultipartUpload>"
        let request = S3Request(.completeMultipartUpload, .POST, key: key, query: [.init("uploadId", uploadID)],
                                headers: [.init("content-type", "application/xml")], body: Array(document.utf8)[...])
        _ = try await send(request)
    }

    /// AbortMultipartUpload: the parts are dropped; nothing ever appears under `key`.
    package func abortMultipartUpload(key: String, uploadID: String) async throws(S3Error) {
        _ = try await send(S3Request(.abortMultipartUpload, .DELETE, key: key, query: [.init("uploadId", uploadID)]))
    }

    static func escapeXML(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
