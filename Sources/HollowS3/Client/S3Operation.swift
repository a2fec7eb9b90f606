/// The S3 calls the store makes, by their API names (in messages, logs and metrics) and the IAM
/// action each needs (in the message of an access denied).
package enum S3Operation: String, Sendable, Hashable, CaseIterable {
    case putObject = "PutObject"
    case getObject = "GetObject"
    case headObject = "HeadObject"
    case deleteObject = "DeleteObject"
    case headBucket = "HeadBucket"
    case listObjects = "ListObjectsV2"
    case createMultipartUpload = "CreateMultipartUpload"
    case uploadPart = "UploadPart"
    case completeMultipartUpload = "CompleteMultipartUpload"
    case abortMultipartUpload = "AbortMultipartUpload"
    /// Any other request (tests, the testing module's bucket and user helpers).
    case other = "Request"

    var name: String { rawValue }

    /// The permission S3 checks for this call.
    var permission: String {
        switch self {
        case .putObject, .createMultipartUpload, .uploadPart, .completeMultipartUpload: "s3:PutObject"
        case .getObject, .headObject: "s3:GetObject"
        case .deleteObject: "s3:DeleteObject"
        case .headBucket, .listObjects: "s3:ListBucket"
        case .abortMultipartUpload: "s3:AbortMultipartUpload"
        case .other: "the call's permission"
        }
    }
}
