/// Where a producer puts its blobs and consumers fetch them: a directory, an object store, an HTTP
/// server. Small on purpose, so that another backend is a file of its own.
///
/// `put` returns only once the blob is durable, and replaces a blob of the same name as a whole:
/// a reader sees the old bytes or the new ones, never part of a blob.
///
/// ``FileSystemBlobStore`` is the embedded default (<doc:ProducersAndConsumers>).
public protocol BlobStore: Sendable {
    func put(_ name: BlobName, _ bytes: [UInt8]) async throws(BlobStoreError)
    func get(_ name: BlobName) async throws(BlobStoreError) -> [UInt8]
    /// The blob's bytes when it is `expectedSize` bytes long (the size its announcement gives);
    /// otherwise `.sizeMismatch`, found before the blob is read into memory where the store can
    /// tell its size first, so that a huge file in a blob's place cannot exhaust a consumer.
    func get(_ name: BlobName, expectedSize: Int) async throws(BlobStoreError) -> [UInt8]
    func delete(_ name: BlobName) async throws(BlobStoreError)
    /// The names of the blobs in the store, sorted.
    func list() async throws(BlobStoreError) -> [BlobName]
}

extension BlobStore {
    /// For a store that cannot tell a blob's size before reading it: reads it, then checks.
    public func get(_ name: BlobName, expectedSize: Int) async throws(BlobStoreError) -> [UInt8] {
        let bytes = try await get(name)
        guard bytes.count == expectedSize else { throw .sizeMismatch(name, expected: expectedSize, found: bytes.count) }
        return bytes
    }
}
