import HollowCore

/// Why a state could not be brought to the wanted version. The state in use is left as it was.
public enum RefreshError: Error, Sendable, Equatable, CustomStringConvertible {
    case announcementLog(AnnouncementLogError)
    /// The log holds no announcement yet.
    case nothingAnnounced
    /// The log names (or was asked for) a version it does not hold.
    case versionNotAnnounced(UInt64)
    /// No chain of usable blobs leads to the version.
    case noUpdatePath(from: UInt64?, to: UInt64)
    /// The store could not give the blob (missing, unreachable).
    case blobUnavailable(BlobName, BlobStoreError)
    /// The blob's bytes are not those announced.
    case blobMismatch(BlobName, expected: String, found: String)
    /// The blob's content was refused (corrupt, or a delta from another state).
    case blobRefused(BlobName, BlobError)
    /// The blob applied, but gave a state other than the one announced.
    case unexpectedState(BlobName, expected: UInt64, found: UInt64)
    /// A configured index cannot be built on the new state (its type or field is gone, say).
    case index(name: String, IndexError)
    /// A view's handles cannot be made for the new state (``Consumer/view(_:)``): its `make` threw.
    case view(handles: String, version: UInt64, reason: String)

    public var description: String {
        switch self {
        case .announcementLog(let error): "reading the announcement log: \(error)"
        case .nothingAnnounced: "nothing has been announced yet"
        case .versionNotAnnounced(let version): "version \(version) is not in the announcement log"
        case .noUpdatePath(let from, let to):
            "no chain of usable blobs leads \(from.map { "from version \($0) " } ?? "")to version \(to)"
        case .blobUnavailable(let name, let error): "blob \(name): \(error)"
        case .blobMismatch(let name, let expected, let found): "blob \(name) is not the one announced: expected \(expected), found \(found)"
        case .blobRefused(let name, let error): "blob \(name) refused: \(error)"
        case .unexpectedState(let name, let expected, let found):
            "blob \(name) gave state \(String(found, radix: 16)), announced \(String(expected, radix: 16))"
        case .view(let handles, let version, let reason): "the view's handles (\(handles)) cannot be made for version \(version): \(reason)"
        case .index(let name, let error): "index \(name): \(error)"
        }
    }

    /// Whether the error comes from a blob, which a new plan may avoid.
    var blob: BlobName? {
        switch self {
        case .blobUnavailable(let name, _), .blobMismatch(let name, _, _), .blobRefused(let name, _),
             .unexpectedState(let name, _, _): name
        default: nil
        }
    }

    /// Whether the blobs themselves are at fault (missing, damaged, refused, or no chain of them
    /// left), so that trying again cannot help; a store or log out of reach is not permanent.
    var isPermanent: Bool {
        switch self {
        case .blobUnavailable(_, .notFound), .blobUnavailable(_, .sizeMismatch), .blobMismatch, .blobRefused,
             .unexpectedState, .noUpdatePath: true
        default: false
        }
    }
}
