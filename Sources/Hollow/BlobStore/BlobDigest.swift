import Crypto

/// The SHA-256 of a blob as announcements carry it: 64 lower-case hex digits.
enum BlobDigest {
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        let digest = SHA256.hash(data: bytes)
        var text = ""
        text.reserveCapacity(64)
        let digits = Array("0123456789abcdef")
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }

    static func reference(_ name: BlobName, _ bytes: [UInt8]) -> BlobReference {
        BlobReference(name: name, size: bytes.count, sha256: sha256Hex(bytes))
    }
}
