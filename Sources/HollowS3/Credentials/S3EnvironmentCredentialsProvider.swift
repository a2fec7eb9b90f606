import Foundation

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, read at each call from
/// the process's environment (or from a dictionary, for tests).
public struct S3EnvironmentCredentialsProvider: S3CredentialsProvider {
    let environment: [String: String]?

    public init() {
        environment = nil
    }

    /// Reads `environment` instead of the process's.
    package init(environment: [String: String]) {
        self.environment = environment
    }

    public func credentials() async throws(S3CredentialsError) -> S3Credentials {
        let variables = environment ?? ProcessInfo.processInfo.environment
        let keyID = variables["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = variables["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let token = variables["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        switch (keyID, secret) {
        case (let keyID?, let secret?): return S3Credentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token)
        case (nil, nil): throw .notFound(["no AWS_ACCESS_KEY_ID in the environment"])
        case (nil, _): throw .incomplete(source: "the environment", missing: "AWS_ACCESS_KEY_ID")
        case (_, nil): throw .incomplete(source: "the environment", missing: "AWS_SECRET_ACCESS_KEY")
        }
    }

    public var description: String { "the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)" }
}
