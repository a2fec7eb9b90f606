/// The name of a blob in a `BlobStore`. Names are checked once, here, so that no store can be asked
/// for a path outside itself: 1 to 200 bytes of ASCII letters, digits, `.`, `_` and `-`, not starting
/// with a `.` (which also rules out `.` and `..`, and keeps the stores' own temporary files apart).
public struct BlobName: Hashable, Sendable, CustomStringConvertible, Comparable {
    public let text: String

    public init(_ text: String) throws(BlobStoreError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 200 else {
            throw .invalidName(text, reason: "a blob name has 1 to 200 bytes")
        }
        guard bytes[0] != UInt8(ascii: ".") else {
            throw .invalidName(text, reason: "a blob name may not start with '.'")
        }
        for byte in bytes {
            let isLetterOrDigit = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte >= 0x30 && byte <= 0x39
            guard isLetterOrDigit || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") else {
                throw .invalidName(text, reason: "only ASCII letters, digits, '.', '_' and '-' are allowed")
            }
        }
        self.text = text
    }

    public var description: String { text }

    public static func < (lhs: BlobName, rhs: BlobName) -> Bool { lhs.text < rhs.text }
}
