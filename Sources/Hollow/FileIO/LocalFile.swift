import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file of the local file system: the one place where the stores, the announcement log
/// and the lease file open, read, write, flush and lock files.
///
/// It owns its descriptor (it cannot be copied, and closes the descriptor when it goes away), so
/// no path through a store can leak one. Every call is retried on EINTR and reports a
/// `FileIOError` naming the call and the path. The calls block their thread.
package struct LocalFile: ~Copyable {
    package let path: String
    private let owned: OwnedDescriptor
    var descriptor: FileDescriptor { owned.descriptor }

    /// Opens `path`; nil when it does not exist (and `options` does not create it).
    ///
    /// - Parameter regularOnly: refuse anything but a regular file. The file is opened
    ///   non-blocking first, so that a FIFO or a device in its place cannot block the caller, and
    ///   its type is checked on the open descriptor.
    package static func open(_ path: String, _ access: FileDescriptor.AccessMode,
                             options: FileDescriptor.OpenOptions = [], permissions: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead],
                             regularOnly: Bool = false, operation: String = "open") throws(FileIOError) -> LocalFile? {
        let descriptor: FileDescriptor
        let options = regularOnly ? options.union(.nonBlocking) : options
        try FailPoints.check(.open, path, operation: operation)
        do {
            descriptor = try FileDescriptor.open(FilePath(path), access, options: options.union(.closeOnExec),
                                                 permissions: options.contains(.create) ? permissions : nil, retryOnInterrupt: true)
        } catch let error as Errno {
            if error == .noSuchFileOrDirectory && !options.contains(.create) { return nil }
            throw FileIOError(operation, path, error)
        } catch {
            throw FileIOError(operation, path, message: "\(error)")
        }
        let file = LocalFile(path: path, owned: OwnedDescriptor(descriptor: descriptor))
        if regularOnly {
            let status = try file.status()
            guard status.type == .regular else {
                throw FileIOError("open", path, message: "not a regular file")
            }
        }
        return file
    }

    /// Creates `path`, which must not exist yet.
    package static func create(_ path: String, permissions: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]) throws(FileIOError) -> LocalFile {
        // `open` with `.create` never answers nil.
        try open(path, .writeOnly, options: [.create, .exclusiveCreate], permissions: permissions, operation: "create")!
    }

    private init(path: String, owned: consuming OwnedDescriptor) {
        self.path = path
        self.owned = owned
    }

    /// Closes the file, reporting a failed close (which may mean lost writes on some systems).
    package consuming func close() throws(FileIOError) {
        let path = path
        do { try owned.close() } catch {
            throw FileIOError("close", path, error)
        }
    }

    // MARK: Status

    package func status() throws(FileIOError) -> Stat {
        do { return try descriptor.stat() } catch {
            throw FileIOError("stat", path, error)
        }
    }

    package func size() throws(FileIOError) -> Int { Int(try status().size) }

    // MARK: Reading

    /// Reads bytes from `start` to `end` (to the end of the file when nil); fewer when the file is
    /// shorter.
    package func read(from start: Int, to end: Int? = nil) throws(FileIOError) -> [UInt8] {
        try FailPoints.check(.read, path, operation: "read")
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var offset = start
        while end.map({ offset < $0 }) ?? true {
            let wanted = min(chunk.count, end.map { $0 - offset } ?? chunk.count)
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { buffer in
                    try descriptor.read(fromAbsoluteOffset: Int64(offset),
                                        into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted]),
                                        retryOnInterrupt: true)
                }
            } catch {
                throw FileIOError("read", path, (error as? Errno) ?? .ioError)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            offset += count
        }
        return bytes
    }

    /// Reads exactly `count` bytes from the start of the file into one allocation of that size; a
    /// file that ends sooner is an error.
    package func readExactly(_ count: Int) throws(FileIOError) -> [UInt8] {
        try FailPoints.check(.read, path, operation: "read")
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let read: Int
            do {
                read = try bytes.withUnsafeMutableBytes { buffer in
                    try descriptor.read(fromAbsoluteOffset: Int64(done),
                                        into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]),
                                        retryOnInterrupt: true)
                }
            } catch {
                throw FileIOError("read", path, (error as? Errno) ?? .ioError)
            }
            guard read > 0 else { throw FileIOError("read", path, message: "the file ended at \(done) of \(count) bytes") }
            done += read
        }
        return bytes
    }

    // MARK: Writing

    /// Writes all of `bytes` at `offset`.
    package func write(_ bytes: [UInt8], at offset: Int) throws(FileIOError) {
        try FailPoints.check(.write, path, operation: "write") {
            _ = try? descriptor.writeAll(toAbsoluteOffset: Int64(offset), bytes.prefix(bytes.count / 2))
        }
        do { _ = try descriptor.writeAll(toAbsoluteOffset: Int64(offset), bytes) } catch {
            throw FileIOError("write", path, (error as? Errno) ?? .ioError)
        }
    }

    /// Writes all of `bytes` at the current position.
    package func write(_ bytes: [UInt8]) throws(FileIOError) {
        try FailPoints.check(.write, path, operation: "write") { _ = try? descriptor.writeAll(bytes.prefix(bytes.count / 2)) }
        do { _ = try descriptor.writeAll(bytes) } catch {
            throw FileIOError("write", path, (error as? Errno) ?? .ioError)
        }
    }

    /// Writes all of `buffer` at the current position.
    package func write(_ buffer: UnsafeRawBufferPointer) throws(FileIOError) {
        try FailPoints.check(.write, path, operation: "write") { _ = try? descriptor.writeAll(buffer.prefix(buffer.count / 2)) }
        do { _ = try descriptor.writeAll(buffer) } catch {
            throw FileIOError("write", path, (error as? Errno) ?? .ioError)
        }
    }

    package func truncate(to length: Int) throws(FileIOError) {
        try FailPoints.check(.truncate, path, operation: "truncate")
        do { try descriptor.resize(to: Int64(length), retryOnInterrupt: true) } catch {
            throw FileIOError("truncate", path, (error as? Errno) ?? .ioError)
        }
    }

    /// Gives the file to `owner` (user and group ids), as `fchown` does.
    package func changeOwner(to owner: (user: UserID, group: GroupID)) throws(FileIOError) {
        if let error = SystemCall.changeOwner(descriptor, user: owner.user.rawValue, group: owner.group.rawValue) {
            throw FileIOError("change the owner of", path, error)
        }
    }

    /// Flushes the file's data and metadata to the device (`fsync`).
    package func sync() throws(FileIOError) {
        try FailPoints.check(.fsync, path, operation: "fsync")
        if let error = SystemCall.sync(descriptor) { throw FileIOError("fsync", path, error) }
    }

    // MARK: Locking

    /// An advisory whole-file lock (`flock`), released by `unlock()` or when the file is closed.
    package enum LockKind: Sendable {
        case shared, exclusive
        var operation: Int32 { self == .shared ? LOCK_SH : LOCK_EX }
    }

    /// Waits for the lock.
    package func lock(_ kind: LockKind) throws(FileIOError) {
        try FailPoints.check(.lock, path, operation: "lock")
        if let error = SystemCall.lock(descriptor, kind.operation) { throw FileIOError("lock", path, error) }
    }

    /// Takes the lock if no other holder has it; false when one does.
    package func tryLock(_ kind: LockKind) throws(FileIOError) -> Bool {
        try FailPoints.check(.lock, path, operation: "lock")
        guard let error = SystemCall.lock(descriptor, kind.operation | LOCK_NB) else { return true }
        if error == .wouldBlock { return false }
        throw FileIOError("lock", path, error)
    }

    package func unlock() {
        _ = SystemCall.lock(descriptor, LOCK_UN)
    }
}

/// The descriptor a `LocalFile` owns: closed exactly once, by `close()` or when it goes away.
/// `package`, not `private`: a release build inlines `LocalFile` into the tool across modules and
/// then needs this type's metadata by a symbol visible outside the module (a private one fails to
/// link).
package struct OwnedDescriptor: ~Copyable {
    let descriptor: FileDescriptor

    deinit { try? descriptor.close() }

    consuming func close() throws(Errno) {
        let descriptor = descriptor
        discard self
        do { try descriptor.close() } catch { throw (error as? Errno) ?? .ioError }
    }
}
