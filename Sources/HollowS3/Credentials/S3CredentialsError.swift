/// Why no credentials could be had: where they were looked for, and what was wrong there.
public enum S3CredentialsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// None of the places looked at holds credentials; each says what was missing.
    case notFound([String])
    /// A source holds part of a key: `source` names it, `missing` the part.
    case incomplete(source: String, missing: String)
    /// The shared credentials file exists but cannot be read.
    case unreadable(path: String, message: String)
    /// A line of the shared credentials file that is not `[profile]`, `key = value` or a comment.
    case malformed(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .notFound(let places):
            "no AWS credentials found (\(places.joined(separator: "; "))): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                + "write them to ~/.aws/credentials, or give them in code"
        case .incomplete(let source, let missing): "\(source) has no \(missing)"
        case .unreadable(let path, let message): "cannot read the credentials file \(path): \(message)"
        case .malformed(let path, let line, let reason): "\(path):\(line): \(reason)"
        }
    }
}
