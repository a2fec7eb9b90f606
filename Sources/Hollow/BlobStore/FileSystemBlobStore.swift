

/// A blob store in one directory: the embedded default, on a local disk or a shared volume.
///
/// A blob is written under a temporary name (starting with `.`, so never listed nor readable by
/// name), flushed with `fsync`, renamed over its final name, and the directory is flushed: after
/// `put` returns the blob survives a crash, and a reader never sees a partial blob. The calls block
/// their thread for the duration of the file I/O.
public struct FileSystemBlobStore: BlobStore {
    public let directory: String
    private let location: LocalDirectory

    /// A store in `directory`, created (with its parents) when `create` is true.
    public init(directory: String, create: Bool = true) throws(BlobStoreError) {
        do { location = try LocalDirectory(directory, create: create) } catch {
            switch error.operation {
            case "create directory": throw .init(error)
            case "stat": throw .unavailable("\(error.path): \(error.message)")
            default: throw .unavailable("\(error.path) is \(error.message)")  // not a directory
            }
        }
        self.directory = location.path
    }

    public func put(_ name: BlobName, _ bytes: [UInt8]) async throws(BlobStoreError) {
        do { try location.replaceDurably(name.text, with: bytes) } catch { throw .init(error) }
    }

    public func get(_ name: BlobName) async throws(BlobStoreError) -> [UInt8] {
        try read(name, expectedSize: nil)
    }

    /// Checks the file's size before allocating anything for it.
    public func get(_ name: BlobName, expectedSize: Int) async throws(BlobStoreError) -> [UInt8] {
        try read(name, expectedSize: expectedSize)
    }

    /// A blob is read only from a regular file, opened without blocking: a FIFO or a device put in
    /// a blob's place is refused, not waited on.
    private func read(_ name: BlobName, expectedSize: Int?) throws(BlobStoreError) -> [UInt8] {
        let opened: LocalFile?
        do {
            opened = try LocalFile.open(location.appending(name.text), .readOnly, options: [.nonBlocking], regularOnly: true)
        } catch {
            throw .init(error)
        }
        guard let file = consume opened else { throw .notFound(name) }
        let size: Int
        do { size = try file.size() } catch { throw .init(error) }
        if let expectedSize, size != expectedSize { throw .sizeMismatch(name, expected: expectedSize, found: size) }
        do { return try file.readExactly(size) } catch { throw .init(error) }
    }

    public func delete(_ name: BlobName) async throws(BlobStoreError) {
        let removed: Bool
        do { removed = try location.remove(name.text) } catch { throw .init(error) }
        if !removed { throw .notFound(name) }
    }

    public func list() async throws(BlobStoreError) -> [BlobName] {
        let names: [String]
        do { names = try location.names() } catch { throw .init(error) }
        // Temporary files and anything that is not a valid blob name are not blobs.
        return names.compactMap { try? BlobName($0) }.sorted()
    }
}
