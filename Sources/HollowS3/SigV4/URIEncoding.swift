/// Percent-encoding as SigV4 wants it: every byte but the unreserved `A-Z a-z 0-9 - _ . ~` as
/// `%XX` with upper-case hex digits (RFC 3986; not the `+` for spaces of HTML forms).
package enum URIEncoding {
    /// A query name or value: `/` encoded too.
    package static func component(_ text: String) -> String { encode(text, keepingSlashes: false) }

    /// A path: each segment encoded, the `/` between them kept.
    package static func path(_ text: String) -> String { encode(text, keepingSlashes: true) }

    private static func encode(_ text: String, keepingSlashes: Bool) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            let isUnreserved = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte >= 0x30 && byte <= 0x39
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "~")
            if isUnreserved || (keepingSlashes && byte == UInt8(ascii: "/")) {
                encoded.append(byte)
            } else {
                encoded += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}
