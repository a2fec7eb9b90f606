import Foundation

extension S3BlobStore.Configuration {
    /// A configuration from an address, the form the tool's `--blobs` takes:
    ///
    ///     s3://BUCKET[/PREFIX][?region=REGION&endpoint=http://HOST:PORT&addressing=path|virtual-hosted|automatic
    ///                          &profile=PROFILE&credentials=/PATH/TO/CREDENTIALS]
    ///
    /// What the address leaves out comes from the environment as the AWS tools read it: the
    /// region from `AWS_REGION` or `AWS_DEFAULT_REGION` (else `us-east-1`), the endpoint from
    /// `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` (else AWS's for the region). The credentials
    /// are the default chain, unless `profile` or `credentials` names a profile or a file in the
    /// AWS shared credentials format: then that profile of that file only (`credentials` alone
    /// reads its `AWS_PROFILE` or `default` profile; `profile` alone reads it from
    /// `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`). Keys never go in the address. The
    /// other settings keep their defaults; change them afterwards.
    ///
    /// - Parameter environment: the variables to read instead of the process's (tests).
    public init(url: String, environment: [String: String]? = nil) throws(S3BlobStore.ConfigurationError) {
        let variables = environment ?? ProcessInfo.processInfo.environment
        func variable(_ name: String) -> String? { variables[name].flatMap { $0.isEmpty ? nil : $0 } }

        guard let schemeEnd = url.range(of: "://"), url[..<schemeEnd.lowerBound].lowercased() == "s3" else {
            throw .invalidURL(url, reason: "it does not start with s3://")
        }
        let rest = url[schemeEnd.upperBound...]
        let queryStart = rest.firstIndex(of: "?")
        let location = rest[..<(queryStart ?? rest.endIndex)]
        let bucket = location.prefix { $0 != "/" }
        guard !bucket.isEmpty else { throw .invalidURL(url, reason: "it names no bucket") }
        let prefix = location[bucket.endIndex...].drop { $0 == "/" }

        var parameters: [String: String] = [:]
        if let queryStart {
            for pair in rest[rest.index(after: queryStart)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                guard Self.urlParameters.contains(name) else {
                    throw .invalidURL(url, reason: "unknown parameter '\(name)': \(Self.urlParameters.joined(separator: ", ")) are known")
                }
                guard parameters[name] == nil else { throw .invalidURL(url, reason: "'\(name)' is given twice") }
                let value = parts.count == 2 ? String(parts[1]) : ""
                guard let decoded = value.removingPercentEncoding, !decoded.isEmpty else {
                    throw .invalidURL(url, reason: "'\(name)' has no value, or a malformed one")
                }
                parameters[name] = decoded
            }
        }
        var addressing = S3BlobStore.AddressingStyle.automatic
        if let text = parameters["addressing"] {
            guard let style = S3BlobStore.AddressingStyle(rawValue: text) else {
                throw .invalidURL(url, reason: "addressing is path, virtual-hosted or automatic, not '\(text)'")
            }
            addressing = style
        }
        self.init(bucket: String(bucket), prefix: String(prefix),
                  region: parameters["region"] ?? variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION") ?? "us-east-1",
                  endpoint: parameters["endpoint"] ?? variable("AWS_ENDPOINT_URL_S3") ?? variable("AWS_ENDPOINT_URL"),
                  addressing: addressing)
        if parameters["profile"] != nil || parameters["credentials"] != nil {
            credentials = S3SharedCredentialsFileProvider(path: parameters["credentials"], profile: parameters["profile"],
                                                          environment: variables)
        }
        _ = try validated()
    }

    /// The parameters an address may carry.
    static let urlParameters = ["region", "endpoint", "addressing", "profile", "credentials"]
}
