/// Credentials given in code.
public struct S3StaticCredentialsProvider: S3CredentialsProvider {
    public let fixed: S3Credentials

    public init(_ credentials: S3Credentials) {
        fixed = credentials
    }

    public func credentials() async throws(S3CredentialsError) -> S3Credentials { fixed }

    public var description: String { "credentials given in code (\(fixed.accessKeyID))" }
}
