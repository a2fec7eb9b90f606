#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The storages a writer put into a blob, in the order it wrote them, for reading that blob back
/// without a second copy of the state: each storage the read meets is decompressed through a small
/// buffer and compared with the one written, and the state read keeps the written storage
/// (`ByteReader.storage(bitCount:_:)`). Everything else is read and checked as a consumer does.
final class WrittenStorages {
    private let storages: [BitStorage]
    private var next = 0
    private let buffer: UnsafeMutableRawBufferPointer

    /// Bytes decompressed at a time: small enough to stay in cache.
    static let bufferBytes = 1 << 20

    init(_ storages: [BitStorage]) {
        self.storages = storages
        buffer = .allocate(byteCount: WrittenStorages.bufferBytes, alignment: 8)
    }

    deinit { buffer.deallocate() }

    /// Reads the next `byteCount` bytes of `content` and returns the next storage written, after
    /// checking that they are its bytes.
    func next(byteCount: Int, from content: BlobContent, _ what: String) throws(BlobError) -> BitStorage {
        guard next < storages.count else {
            throw .corrupt("\(what): read back, but the writer wrote only \(storages.count) storages")
        }
        let storage = storages[next]
        next += 1
        guard storage.byteCount == byteCount else {
            throw .corrupt("\(what): \(byteCount) bytes read back, \(storage.byteCount) written")
        }
        var offset = 0
        while offset < byteCount {
            let count = Swift.min(buffer.count, byteCount - offset)
            let at = content.produced
            try content.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]))
            guard memcmp(buffer.baseAddress!, storage.handle.base + offset, count) == 0 else {
                throw .corrupt("\(what): the bytes read back at content offset \(at)..<\(at + count) differ from those written")
            }
            offset += count
        }
        return storage
    }

    /// Checks that every storage written was read back.
    func finish() throws(BlobError) {
        guard next == storages.count else {
            throw .corrupt("\(storages.count - next) of the \(storages.count) storages written were not read back")
        }
    }
}
