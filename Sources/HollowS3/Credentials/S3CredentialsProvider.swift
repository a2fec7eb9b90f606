/// Where an `S3BlobStore` gets the key it signs with. The store asks once, keeps the answer, and
/// asks again after S3 refused the key (expired, rotated), so a provider may read its source at
/// every call.
///
///     .default                                  // the environment, then ~/.aws/credentials
///     .static(S3Credentials(accessKeyID: "AKIA...", secretAccessKey: "..."))
///     .environment                              // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
///     .sharedCredentialsFile(profile: "hollow") // AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials
///     .chain([.environment, .sharedCredentialsFile()])
public protocol S3CredentialsProvider: Sendable, CustomStringConvertible {
    func credentials() async throws(S3CredentialsError) -> S3Credentials
}

extension S3CredentialsProvider where Self == S3StaticCredentialsProvider {
    /// Credentials given in code.
    public static func `static`(_ credentials: S3Credentials) -> Self { S3StaticCredentialsProvider(credentials) }
}

extension S3CredentialsProvider where Self == S3EnvironmentCredentialsProvider {
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` of the process.
    public static var environment: Self { S3EnvironmentCredentialsProvider() }
}

extension S3CredentialsProvider where Self == S3SharedCredentialsFileProvider {
    /// A profile of the shared credentials file: `path`, else `AWS_SHARED_CREDENTIALS_FILE`, else
    /// `~/.aws/credentials`; `profile`, else `AWS_PROFILE`, else `default`.
    public static func sharedCredentialsFile(path: String? = nil, profile: String? = nil) -> Self {
        S3SharedCredentialsFileProvider(path: path, profile: profile)
    }
}

extension S3CredentialsProvider where Self == S3CredentialsProviderChain {
    /// The first of `providers` that has credentials.
    public static func chain(_ providers: [any S3CredentialsProvider]) -> Self { S3CredentialsProviderChain(providers) }

    /// The environment, then the shared credentials file: what the AWS command-line tool reads first.
    public static var `default`: Self { S3CredentialsProviderChain([.environment, .sharedCredentialsFile()]) }
}
