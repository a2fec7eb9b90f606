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

extension BlobName: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try BlobName(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

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

    public init(version: UInt64, previousVersion: UInt64?, stateID: UInt64, previousStateID: UInt64?,
                snapshot: BlobReference?, delta: BlobReference?, reverseDelta: BlobReference?,
                term: UInt64, producerID: String, timestampMilliseconds: Int64, tags: [String: String] = [:]) {
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
    }
}

/// What the log says at one moment: every announcement in order, and the pin if there is one.
public struct AnnouncementHistory: Sendable, Equatable {
    public var announcements: [Announcement]
    /// The version consumers are told to go to instead of the latest.
    public var pinnedVersion: UInt64?

    public init(announcements: [Announcement] = [], pinnedVersion: UInt64? = nil) {
        self.announcements = announcements
        self.pinnedVersion = pinnedVersion
    }

    public var latest: Announcement? { announcements.last }

    /// The version consumers should serve: the pinned one, else the latest.
    public var wantedVersion: UInt64? { pinnedVersion ?? latest?.version }

    public func announcement(of version: UInt64) -> Announcement? {
        index(of: version).map { announcements[$0] }
    }

    /// The position of `version` in `announcements` (versions increase along the log: a binary search).
    public func index(of version: UInt64) -> Int? {
        var low = 0
        var high = announcements.count
        while low < high {
            let middle = (low + high) / 2
            if announcements[middle].version < version { low = middle + 1 } else { high = middle }
        }
        return low < announcements.count && announcements[low].version == version ? low : nil
    }
}
