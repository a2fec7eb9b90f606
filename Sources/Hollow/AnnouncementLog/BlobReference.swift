import Foundation

/// A blob an announcement names, with what a consumer checks before using it.
public struct BlobReference: Codable, Sendable, Hashable {
    public var name: BlobName
    public var size: Int
    /// SHA-256 of the blob's bytes, lower-case hex.
    public var sha256: String

    public init(name: BlobName, size: Int, sha256: String) {
        self.name = name
        self.size = size
        self.sha256 = sha256
    }
}
