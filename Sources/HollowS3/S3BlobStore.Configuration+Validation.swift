import Hollow

extension S3BlobStore.Configuration {
    /// Every setting checked, and the place requests go to.
    func validated() throws(S3BlobStore.ConfigurationError) -> S3Location {
        try Self.checkBucket(bucket)
        let prefix = Self.normalizedPrefix(prefix)
        try Self.checkPrefix(prefix, given: self.prefix)
        try Self.checkRegion(region)
        try checkSettings()

        let service: ServiceEndpoint
        if let endpoint {
            do { service = try ServiceEndpoint(parsing: endpoint) } catch {
                throw .invalidEndpoint(endpoint, reason: error.reason)
            }
        } else {
            // AWS's own endpoint for the region (China's regions have a domain of their own).
            let domain = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
            service = try! ServiceEndpoint(parsing: "https://s3.\(region).\(domain)")
        }

        let style: S3BlobStore.AddressingStyle
        switch addressing {
        case .path: style = .path
        case .virtualHosted: style = .virtualHosted
        case .automatic: style = endpoint == nil && !bucket.contains(".") ? .virtualHosted : .path
        }
        if style == .virtualHosted {
            let endpointText = endpoint ?? service.description
            if service.host.hasPrefix("[") || service.host.allSatisfy({ $0.isNumber || $0 == "." }) {
                throw .invalidEndpoint(endpointText, reason: "virtual-hosted addressing puts the bucket in the host name, "
                                        + "and \(service.host) is an IP address: use path-style addressing")
            }
            if bucket.contains("."), service.isSecure {
                throw .invalidBucket(bucket, reason: "a name with dots cannot be addressed virtual-hosted over https "
                                      + "(the server's certificate does not cover it): use path-style addressing")
            }
        }
        return S3Location(service: service, bucket: bucket, prefix: prefix, region: region, style: style)
    }

    /// S3's rules for general-purpose buckets.
    static func checkBucket(_ bucket: String) throws(S3BlobStore.ConfigurationError) {
        let bytes = Array(bucket.utf8)
        guard (3...63).contains(bytes.count) else { throw .invalidBucket(bucket, reason: "a bucket name has 3 to 63 characters") }
        func isLowerOrDigit(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
        guard bytes.allSatisfy({ isLowerOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) else {
            throw .invalidBucket(bucket, reason: "only lower-case letters, digits, '.' and '-' are allowed")
        }
        guard isLowerOrDigit(bytes.first!), isLowerOrDigit(bytes.last!) else {
            throw .invalidBucket(bucket, reason: "it must begin and end with a letter or a digit")
        }
        guard !bucket.contains(".."), !bucket.contains(".-"), !bucket.contains("-.") else {
            throw .invalidBucket(bucket, reason: "a '.' may not be next to another '.' or a '-'")
        }
        let labels = bucket.split(separator: ".")
        guard !(labels.count == 4 && labels.allSatisfy({ $0.allSatisfy(\.isNumber) })) else {
            throw .invalidBucket(bucket, reason: "it may not look like an IP address")
        }
        for reserved in ["xn--", "sthree-", "amzn-s3-demo-"] where bucket.hasPrefix(reserved) {
            throw .invalidBucket(bucket, reason: "the prefix '\(reserved)' is reserved")
        }
        for reserved in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] where bucket.hasSuffix(reserved) {
            throw .invalidBucket(bucket, reason: "the suffix '\(reserved)' is reserved")
        }
    }

    /// A prefix (normalized) of safe characters: no empty, `.` or `..` segment, at most 512 bytes
    /// (a key has at most 1024, and a blob's name up to 200).
    static func checkPrefix(_ prefix: String, given: String) throws(S3BlobStore.ConfigurationError) {
        guard !prefix.isEmpty else { return }
        guard prefix.utf8.count <= 512 else { throw .invalidPrefix(given, reason: "at most 512 bytes") }
        guard !prefix.hasPrefix("/") else { throw .invalidPrefix(given, reason: "it may not start with '/'") }
        for segment in prefix.dropLast().split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty else { throw .invalidPrefix(given, reason: "it has an empty segment ('//')") }
            guard segment != ".", segment != ".." else { throw .invalidPrefix(given, reason: "it has a '.' or '..' segment") }
            guard segment.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }) else {
                throw .invalidPrefix(given, reason: "only ASCII letters, digits, '.', '_', '-' and '/' are allowed")
            }
        }
    }

    static func checkRegion(_ region: String) throws(S3BlobStore.ConfigurationError) {
        guard (1...64).contains(region.utf8.count) else { throw .invalidRegion(region, reason: "1 to 64 characters") }
        guard region.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_".unicodeScalars.contains($0)) }) else {
            throw .invalidRegion(region, reason: "only ASCII letters, digits, '-' and '_' (it is part of every signature's scope)")
        }
    }

    func checkSettings() throws(S3BlobStore.ConfigurationError) {
        let minimum = Self.minimumPartSize, maximum = Self.maximumPartSize
        guard (minimum...maximum).contains(partSize) else {
            throw .invalidSetting("partSize", reason: "\(partSize) bytes; S3 takes parts of \(minimum) (5 MiB) to \(maximum) (5 GiB) bytes")
        }
        guard (0...maximum).contains(multipartThreshold) else {
            throw .invalidSetting("multipartThreshold", reason: "\(multipartThreshold) bytes; a single PUT carries at most 5 GiB")
        }
        guard (1...64).contains(parallelParts) else { throw .invalidSetting("parallelParts", reason: "\(parallelParts); 1 to 64") }
        guard (1...20).contains(attempts) else { throw .invalidSetting("attempts", reason: "\(attempts); 1 to 20") }
        guard requestTimeout > .zero else { throw .invalidSetting("requestTimeout", reason: "\(requestTimeout) is not positive") }
    }
}
