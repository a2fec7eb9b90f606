#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blob store in one directory: the embedded default, on a local disk or a shared volume.
///
/// A blob is written under a temporary name (starting with `.`, so never listed nor readable by
/// name), flushed with `fsync`, renamed over its final name, and the directory is flushed: after
/// `put` returns the blob survives a crash, and a reader never sees a partial blob. The calls block
/// their thread for the duration of the file I/O.
public struct FileSystemBlobStore: BlobStore {
    public let directory: String

    /// A store in `directory`, created (with its parents) when `create` is true.
    public init(directory: String, create: Bool = true) throws(BlobStoreError) {
        var path = directory
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        if create { try Self.makeDirectories(path) }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .unavailable("\(path): \(Self.errorText())")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .unavailable("\(path) is not a directory") }
        self.directory = path
    }

    private func path(_ name: BlobName) -> String { directory + "/" + name.text }

    public func put(_ name: BlobName, _ bytes: [UInt8]) async throws(BlobStoreError) {
        let final = path(name)
        let temporary = directory + "/.tmp-" + name.text + "-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let file = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard file >= 0 else { throw Self.ioError("create", temporary) }
        do throws(BlobStoreError) {
            try Self.writeAll(bytes, to: file, path: temporary)
            guard fsync(file) == 0 else { throw Self.ioError("fsync", temporary) }
        } catch {
            close(file)
            unlink(temporary)
            throw error
        }
        guard close(file) == 0 else {
            let error = Self.ioError("close", temporary)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, final) == 0 else {
            let error = Self.ioError("rename to \(final)", temporary)
            unlink(temporary)
            throw error
        }
        try syncDirectory()
    }

    public func get(_ name: BlobName) async throws(BlobStoreError) -> [UInt8] {
        let path = path(name)
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else {
            if errno == ENOENT { throw .notFound(name) }
            throw Self.ioError("open", path)
        }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0 else { throw Self.ioError("stat", path) }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let count = bytes.withUnsafeMutableBytes { buffer in read(file, buffer.baseAddress! + done, size - done) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw count == 0 ? .io(operation: "read", path: path, message: "the file ended at \(done) of \(size) bytes")
                                 : Self.ioError("read", path)
            }
            done += count
        }
        return bytes
    }

    public func delete(_ name: BlobName) async throws(BlobStoreError) {
        let path = path(name)
        guard unlink(path) == 0 else {
            if errno == ENOENT { throw .notFound(name) }
            throw Self.ioError("delete", path)
        }
        try syncDirectory()
    }

    public func list() async throws(BlobStoreError) -> [BlobName] {
        guard let stream = opendir(directory) else { throw Self.ioError("list", directory) }
        defer { closedir(stream) }
        var names: [BlobName] = []
        while let entry = readdir(stream) {
            let text = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            // Temporary files and anything that is not a valid blob name are not blobs.
            if let name = try? BlobName(text) { names.append(name) }
        }
        return names.sorted()
    }

    private func syncDirectory() throws(BlobStoreError) {
        let handle = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard handle >= 0 else { throw Self.ioError("open", directory) }
        defer { close(handle) }
        guard fsync(handle) == 0 else { throw Self.ioError("fsync", directory) }
    }

    private static func writeAll(_ bytes: [UInt8], to file: Int32, path: String) throws(BlobStoreError) {
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in write(file, buffer.baseAddress! + done, bytes.count - done) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw ioError("write", path) }
            done += count
        }
    }

    private static func makeDirectories(_ path: String) throws(BlobStoreError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw ioError("create directory", prefix) }
        }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }

    private static func ioError(_ operation: String, _ path: String) -> BlobStoreError {
        .io(operation: operation, path: path, message: errorText())
    }
}
