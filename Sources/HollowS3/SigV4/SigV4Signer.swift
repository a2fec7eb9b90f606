import Crypto
import Foundation

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`), the four steps of the published algorithm and
/// nothing else: the canonical request, the string to sign, the signing key, and the
/// `Authorization` header. Pure: the caller gives the time and every header to sign, so that the
/// published test vectors check each step.
package struct SigV4Signer: Sendable {
    package var accessKeyID: String
    package var secretAccessKey: String
    package var region: String
    /// `s3` for S3 (the test suite uses `service`).
    package var service: String

    package init(accessKeyID: String, secretAccessKey: String, region: String, service: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.region = region
        self.service = service
    }

    package init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.init(accessKeyID: credentials.accessKeyID, secretAccessKey: credentials.secretAccessKey, region: region, service: service)
    }

    package func sign(_ request: SigV4Request, at time: SigV4Timestamp) -> SigV4Signature {
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request.headers)
        let canonicalRequest = [
            request.method,
            request.encodedPath.isEmpty ? "/" : request.encodedPath,
            Self.canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            request.payloadSHA256,
        ].joined(separator: "\n")
        let scope = "\(time.day)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(time.amzDate)\n\(scope)\n\(Hex.sha256(Array(canonicalRequest.utf8)))"
        let signature = Hex.string(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(day: time.day)))
        return SigV4Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signedHeaders: signedHeaders, signature: signature,
            authorization: "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)")
    }

    /// HMAC of the day, the region, the service and `aws4_request` in turn, from `AWS4` + secret.
    func signingKey(day: Substring) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(secretAccessKey)".utf8))
        for part in [String(day), region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// Names and values encoded, sorted by name then value, `name=value` joined by `&`.
    static func canonicalQuery(_ items: [SigV4Request.QueryItem]) -> String {
        items.map { (URIEncoding.component($0.name), URIEncoding.component($0.value)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// `name:value\n` per header (names lower-case and sorted, values trimmed with inner runs of
    /// spaces made one, the values of a repeated name joined by `,`), and the signed names.
    static func canonicalHeaders(_ headers: [SigV4Request.Header]) -> (String, String) {
        var values: [String: [String]] = [:]
        for header in headers {
            values[header.name.lowercased(), default: []].append(trimmed(header.value))
        }
        let names = values.keys.sorted()
        let lines = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        return (lines, names.joined(separator: ";"))
    }

    private static func trimmed(_ value: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in value {
            if character == " " || character == "\t" {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }
}
