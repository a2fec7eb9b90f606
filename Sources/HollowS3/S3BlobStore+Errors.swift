import Hollow

extension S3BlobStore {
    /// `error` of a call on `name` (nil: the store) as the blob store's error, in words that say
    /// which object and what to check.
    func blobStoreError(_ error: S3Error, _ name: BlobName?, _ operation: String) -> BlobStoreError {
        let place = name.map { location.describe(key: location.key(for: $0)) } ?? location.description
        switch error {
        case .noSuchKey:
            if let name { return .notFound(name) }
            return .unavailable("\(place): \(error)")
        case .sizeMismatch(let expected, let found):
            if let name { return .sizeMismatch(name, expected: expected, found: found) }
            return .io(operation: operation, path: place, message: "\(error)")
        case .noSuchBucket(let bucket):
            return .unavailable("\(place): the bucket '\(bucket)' does not exist at \(location.origin): create it, "
                                    + "or check the bucket's name, the region (\(location.region)) and the endpoint")
        case .accessDenied(let call, let code, let message):
            let hint = code == "RequestTimeTooSkewed"
                ? "this host's clock is off by more than 15 minutes: set it right (NTP)"
                : "check the credentials (\(configuration.credentials)) and that they may \(call.permission) on arn:aws:s3:::\(location.bucket)/\(location.prefix)*"
            return .unavailable("\(place): access denied to \(call.name) (\(code): \(message)): \(hint)")
        case .unreachable, .unavailable:
            return .unavailable("\(place): \(error)")
        case .credentials(let problem):
            return .unavailable("\(place): \(problem)")
        case .cancelled:
            return .unavailable("\(place): \(operation) cancelled")
        case .refused, .malformedResponse:
            return .io(operation: operation, path: place, message: "\(error)")
        }
    }
}
