/// What a HEAD tells of an object: its size, and the SHA-256 the store recorded when it put it.
package struct S3ObjectHead: Sendable, Equatable {
    package var size: Int
    /// `x-amz-meta-sha256`: nil for an object another tool wrote.
    package var sha256: String?
}
