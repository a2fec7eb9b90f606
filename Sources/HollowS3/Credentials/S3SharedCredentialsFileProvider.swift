import Foundation
import Hollow

/// A profile of the AWS shared credentials file, read at each call: `aws_access_key_id`,
/// `aws_secret_access_key` and `aws_session_token`.
///
/// The file is `path` when given, else `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`;
/// the profile is `profile` when given, else `AWS_PROFILE`, else `default`. A missing file or
/// profile is `notFound` (a chain moves on); a profile with half a key, or a file that cannot be
/// read or parsed, is an error that names the file and the line.
public struct S3SharedCredentialsFileProvider: S3CredentialsProvider {
    public let path: String?
    public let profile: String?
    let environment: [String: String]?

    public init(path: String? = nil, profile: String? = nil) {
        self.path = path
        self.profile = profile
        environment = nil
    }

    /// Looks up `AWS_SHARED_CREDENTIALS_FILE`, `AWS_PROFILE` and `HOME` in `environment`.
    package init(path: String? = nil, profile: String? = nil, environment: [String: String]) {
        self.path = path
        self.profile = profile
        self.environment = environment
    }

    /// The largest file read: a credentials file is a few lines.
    static let maximumFileSize = 1 << 20

    public func credentials() async throws(S3CredentialsError) -> S3Credentials {
        let variables = environment ?? ProcessInfo.processInfo.environment
        let file = resolvedPath(variables)
        let profile = profile ?? variables["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        guard let text = try Self.read(file) else { throw .notFound(["no credentials file at \(file)"]) }
        let parsed = try SharedCredentialsFile(parsing: text, path: file)
        guard let settings = parsed.profiles[profile] else { throw .notFound(["no profile [\(profile)] in \(file)"]) }
        let source = "profile [\(profile)] of \(file)"
        switch (settings["aws_access_key_id"], settings["aws_secret_access_key"]) {
        case (let keyID?, let secret?) where !keyID.isEmpty && !secret.isEmpty:
            let token = settings["aws_session_token"] ?? settings["aws_security_token"]
            return S3Credentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token.flatMap { $0.isEmpty ? nil : $0 })
        case (nil, nil): throw .notFound(["no aws_access_key_id in \(source)"])
        case (let keyID, _) where keyID?.isEmpty ?? true: throw .incomplete(source: source, missing: "aws_access_key_id")
        default: throw .incomplete(source: source, missing: "aws_secret_access_key")
        }
    }

    /// The file to read, `~` expanded.
    func resolvedPath(_ variables: [String: String]) -> String {
        let chosen = path ?? variables["AWS_SHARED_CREDENTIALS_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "~/.aws/credentials"
        guard chosen == "~" || chosen.hasPrefix("~/") else { return chosen }
        let home = variables["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + chosen.dropFirst()
    }

    /// The file's text, or nil when there is no file.
    private static func read(_ path: String) throws(S3CredentialsError) -> String? {
        let opened: LocalFile?
        do { opened = try LocalFile.open(path, .readOnly, regularOnly: true) } catch {
            // A directory or a missing parent on the way: nothing to read there.
            if error.isNotFound { return nil }
            throw .unreadable(path: path, message: error.message)
        }
        guard let file = consume opened else { return nil }
        let size: Int
        do { size = try file.size() } catch { throw .unreadable(path: path, message: error.message) }
        guard size <= maximumFileSize else {
            throw .unreadable(path: path, message: "\(size) bytes, more than a credentials file holds")
        }
        do { return String(decoding: try file.readExactly(size), as: UTF8.self) } catch {
            throw .unreadable(path: path, message: error.message)
        }
    }

    public var description: String {
        "the shared credentials file (\(path ?? "AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials"), profile \(profile ?? "AWS_PROFILE or default"))"
    }
}
