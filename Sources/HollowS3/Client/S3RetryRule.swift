/// Which of S3's answers are worth another try, and which refuse the key the request was signed
/// with (so that the store asks its credentials provider again).
enum S3RetryRule {
    /// 5xx (but 501 Not Implemented), 429, and the codes S3 and the AWS SDKs treat as
    /// throttling or transient (503 SlowDown, 400 RequestTimeout...).
    static func isRetryable(status: Int, code: String?) -> Bool {
        if let code, transientCodes.contains(code) { return true }
        if status == 501 { return false }
        return status >= 500 || status == 429
    }

    static let transientCodes: Set<String> = [
        "InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout", "RequestTimeoutException",
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "BandwidthLimitExceeded", "PriorRequestNotComplete",
        "OperationAborted",
    ]

    /// Codes that say the key itself was not accepted: a rotated or expired key may be replaced.
    static let credentialCodes: Set<String> = [
        "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired",
        "InvalidSecurity", "RequestTimeTooSkewed",
    ]
}
