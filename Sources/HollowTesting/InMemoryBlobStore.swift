import Hollow
import Synchronization

/// A blob store in memory, for tests: fast, and able to fail the way real stores fail (unreachable,
/// refusing writes, losing or damaging a blob).
public final class InMemoryBlobStore: BlobStore {
    private struct Contents {
        var blobs: [BlobName: [UInt8]] = [:]
        var failReads = false
        var failWrites = false
        var reads = 0
        var bytesRead = 0
    }

    private let contents = Mutex(Contents())

    public init() {}

    public func put(_ name: BlobName, _ bytes: [UInt8]) async throws(BlobStoreError) {
        try contents.withLock { (contents) throws(BlobStoreError) in
            if contents.failWrites { throw .unavailable("in-memory store set to refuse writes") }
            contents.blobs[name] = bytes
        }
    }

    public func get(_ name: BlobName) async throws(BlobStoreError) -> [UInt8] {
        try contents.withLock { (contents) throws(BlobStoreError) in
            if contents.failReads { throw .unavailable("in-memory store set to refuse reads") }
            guard let bytes = contents.blobs[name] else { throw .notFound(name) }
            contents.reads += 1
            contents.bytesRead += bytes.count
            return bytes
        }
    }

    public func delete(_ name: BlobName) async throws(BlobStoreError) {
        try contents.withLock { (contents) throws(BlobStoreError) in
            if contents.failWrites { throw .unavailable("in-memory store set to refuse writes") }
            guard contents.blobs.removeValue(forKey: name) != nil else { throw .notFound(name) }
        }
    }

    public func list() async throws(BlobStoreError) -> [BlobName] {
        try contents.withLock { (contents) throws(BlobStoreError) in
            if contents.failReads { throw .unavailable("in-memory store set to refuse reads") }
            return contents.blobs.keys.sorted()
        }
    }

    // MARK: Faults and inspection

    /// While true, `get` and `list` fail as an unreachable store does.
    public var failsReads: Bool {
        get { contents.withLock { $0.failReads } }
        set { contents.withLock { $0.failReads = newValue } }
    }

    /// While true, `put` and `delete` fail.
    public var failsWrites: Bool {
        get { contents.withLock { $0.failWrites } }
        set { contents.withLock { $0.failWrites = newValue } }
    }

    /// The names of the blobs held, sorted (no fault applies).
    public var names: [BlobName] { contents.withLock { $0.blobs.keys.sorted() } }

    /// The bytes of a blob (no fault applies).
    public func bytes(of name: BlobName) -> [UInt8]? { contents.withLock { $0.blobs[name] } }

    /// Replaces a blob's bytes behind the producer's back.
    public func replace(_ name: BlobName, with bytes: [UInt8]) { contents.withLock { $0.blobs[name] = bytes } }

    /// Loses a blob.
    public func drop(_ name: BlobName) { contents.withLock { _ = $0.blobs.removeValue(forKey: name) } }

    /// Successful `get` calls and the bytes they returned.
    public var reads: (count: Int, bytes: Int) { contents.withLock { ($0.reads, $0.bytesRead) } }
}
