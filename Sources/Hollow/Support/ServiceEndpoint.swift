#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An `http://` or `https://` address of a server (an etcd member; the S3 and HTTP blob stores next),
/// checked before any connection is tried: a port out of range or a malformed host is a typed
/// error here, never a failure deep inside the networking stack.
package struct ServiceEndpoint: Sendable, Hashable, CustomStringConvertible {
    package var isSecure: Bool
    /// A host name, an IPv4 address, or an IPv6 address in brackets.
    package var host: String
    /// The port given, or nil for the scheme's default.
    package var port: Int?
    /// The path after the authority, without a trailing slash ("" for none).
    package var path: String

    /// Why a text is not an endpoint, in words.
    package struct Problem: Error, Sendable, Hashable {
        package var reason: String
    }

    /// Parses `text`; `allowsPath` admits a path after the host (a base URL).
    package init(parsing text: String, allowsPath: Bool = false) throws(Problem) {
        let scheme: Substring
        var rest: Substring
        if let range = text.range(of: "://") {
            scheme = text[..<range.lowerBound]
            rest = text[range.upperBound...]
        } else {
            throw Problem(reason: "it has no scheme: write http://HOST:PORT or https://HOST:PORT")
        }
        switch scheme.lowercased() {
        case "http": isSecure = false
        case "https": isSecure = true
        default: throw Problem(reason: "the scheme '\(scheme)' is not http or https")
        }
        while rest.hasSuffix("/") { rest.removeLast() }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let tail = rest[authority.endIndex...]
        guard !tail.contains("?"), !tail.contains("#") else { throw Problem(reason: "it has a query or fragment") }
        guard allowsPath || tail.isEmpty else { throw Problem(reason: "it has a path ('\(tail)'); give only the scheme, host and port") }
        guard !authority.contains("@") else { throw Problem(reason: "it has user information; give credentials as options, not in the address") }
        path = String(tail)

        let hostText: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw Problem(reason: "the IPv6 address has no closing ']'") }
            hostText = authority[...close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { throw Problem(reason: "unexpected text after the IPv6 address") }
            portText = after.isEmpty ? nil : after.dropFirst()
            // A zone (a link-local address's interface) is written %25zone in a URL (RFC 6874).
            let inside = hostText.dropFirst().dropLast()
            let address = inside.range(of: "%25").map { inside[..<$0.lowerBound] } ?? inside
            let zone = inside.range(of: "%25").map { inside[$0.upperBound...] }
            guard Self.isAddress(address, family: AF_INET6),
                  zone.map({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.~".contains($0)) } }) ?? true else {
                throw Problem(reason: "'\(hostText)' is not an IPv6 address")
            }
        } else {
            let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw Problem(reason: "the host has more than one ':' (an IPv6 address goes in brackets)") }
            hostText = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
            guard !hostText.isEmpty else { throw Problem(reason: "it has no host") }
            // A fully qualified name may end with its root's dot. Underscores appear in names of
            // services (DNS SRV, container networks), so they are taken too.
            let name = hostText.hasSuffix(".") ? hostText.dropLast() : hostText
            let labels = name.split(separator: ".", omittingEmptySubsequences: false)
            let looksNumeric = labels.allSatisfy { !$0.isEmpty && $0.allSatisfy { ("0"..."9").contains($0) } }
            if looksNumeric {
                guard Self.isAddress(hostText, family: AF_INET) else { throw Problem(reason: "'\(hostText)' is not an IPv4 address") }
            } else {
                guard name.utf8.count <= 253, labels.allSatisfy({ label in
                    !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                        && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
                }) else {
                    throw Problem(reason: "'\(hostText)' is not a host name or an IPv4 address")
                }
            }
        }
        host = String(hostText)
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ ("0"..."9").contains($0) }), let port = Int(portText) else {
                throw Problem(reason: "the port '\(portText)' is not a number")
            }
            guard (1...65535).contains(port) else { throw Problem(reason: "the port \(port) is not between 1 and 65535") }
            self.port = port
        } else {
            port = nil
        }
    }

    /// Whether `text` is an address of `family` as the system reads one (inet_pton: four decimal
    /// parts of at most 255 for IPv4; the standard forms of IPv6).
    private static func isAddress(_ text: Substring, family: Int32) -> Bool {
        var buffer = (UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &buffer) { inet_pton(family, String(text), $0.baseAddress) == 1 }
    }

    /// The endpoint written back, normalized: lower-case scheme, no trailing slash.
    package var description: String {
        (isSecure ? "https://" : "http://") + host + (port.map { ":\($0)" } ?? "") + path
    }
}
