import Foundation

/// One announced version: the blobs that make it, and who announced it when.
public struct Announcement: Codable, Sendable, Hashable {
    /// Strictly increasing along the log.
    public var version: UInt64
    /// The version the delta starts from (nil for the first version, or when no delta was written).
    public var previousVersion: UInt64?
    /// The read state's id (`ReadState.stateID`) of this version, and of the previous one.
    public var stateID: UInt64
    public var previousStateID: UInt64?
    public var snapshot: BlobReference?
    public var delta: BlobReference?
    public var reverseDelta: BlobReference?
    /// The leader term (fencing token) of the producer that announced it.
    public var term: UInt64
    public var producerID: String
    /// Milliseconds since 1970, from the announcing producer's clock (informative only).
    public var timestampMilliseconds: Int64
    public var tags: [String: String]
    /// Milliseconds since 1970 when the cycle began to read its sources, from the producer's clock:
    /// every change made to the sources before then is in this version (read-after-write,
    /// `Consumer.waitUntilServing(changesMadeAt:)`). Nil in announcements of older producers.
    public var sourcesReadAtMilliseconds: Int64?

    public init(version: UInt64, previousVersion: UInt64?, stateID: UInt64, previousStateID: UInt64?,
                snapshot: BlobReference?, delta: BlobReference?, reverseDelta: BlobReference?,
                term: UInt64, producerID: String, timestampMilliseconds: Int64, tags: [String: String] = [:],
                sourcesReadAtMilliseconds: Int64? = nil) {
        self.version = version
        self.previousVersion = previousVersion
        self.stateID = stateID
        self.previousStateID = previousStateID
        self.snapshot = snapshot
        self.delta = delta
        self.reverseDelta = reverseDelta
        self.term = term
        self.producerID = producerID
        self.timestampMilliseconds = timestampMilliseconds
        self.tags = tags
        self.sourcesReadAtMilliseconds = sourcesReadAtMilliseconds
    }
}
