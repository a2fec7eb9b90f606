import Foundation
import Crypto

/// Lower-case hex, as SigV4 writes hashes and signatures.
package enum Hex {
    package static func string(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The SHA-256 of `bytes` in hex.
    package static func sha256(_ bytes: some DataProtocol) -> String { string(SHA256.hash(data: bytes)) }

    /// The SHA-256 of no bytes: the payload hash of every request without a body.
    package static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
}
