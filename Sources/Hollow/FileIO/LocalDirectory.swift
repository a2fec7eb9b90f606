import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory of the local file system: made, listed, flushed, and the place where files are
/// replaced durably (temporary name, `fsync`, `rename`, `fsync` of the directory).
package struct LocalDirectory: Sendable {
    /// The directory's path, without trailing slashes.
    package let path: String

    /// The directory at `path`; when `create` is true it is made with its parents first. Throws
    /// when it is missing or not a directory.
    package init(_ path: String, create: Bool = false) throws(FileIOError) {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        if path.isEmpty { path = "." }
        if create { try Self.makeDirectories(path) }
        let status: Stat
        do { status = try FilePath(path).stat() } catch {
            throw FileIOError("stat", path, error)
        }
        guard status.type == .directory else { throw FileIOError("open", path, message: "not a directory") }
        self.path = path
    }

    /// The directory that holds `file` ("." for a bare name).
    package static func containing(_ file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        return slash == file.startIndex ? "/" : String(file[..<slash])
    }

    /// The last component of `file`'s path.
    package static func name(of file: String) -> String {
        file.split(separator: "/").last.map(String.init) ?? file
    }

    package func appending(_ name: String) -> String { path == "/" ? "/" + name : path + "/" + name }

    /// Flushes the directory's entries (a file created, renamed or removed in it) to the device.
    package func sync() throws(FileIOError) {
        guard let handle = try LocalFile.open(path, .readOnly, options: [.directory]) else {
            throw FileIOError("open", path, .noSuchFileOrDirectory)
        }
        try handle.sync()
    }

    /// The names of the directory's entries, `.` and `..` left out.
    package func names() throws(FileIOError) -> [String] {
        guard let stream = opendir(path) else { throw FileIOError("list", path, Errno(rawValue: errno)) }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Puts `bytes` under `name` so that a reader sees the old file or the whole new one, never a
    /// part, and the new one survives a crash once this returns: written under a temporary name
    /// (`.tmp-…`, never a valid blob name), flushed, renamed over `name`, and the directory flushed.
    /// `owner` (user and group) is given to the new file before it takes the name, so that a file
    /// replaced by another user (root repairing a service's log) stays its owner's.
    package func replaceDurably(_ name: String, with bytes: [UInt8],
                                permissions: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead],
                                owner: (user: UserID, group: GroupID)? = nil) throws(FileIOError) {
        try replaceDurably(name, permissions: permissions, owner: owner) { (file) throws(FileIOError) in try file.write(bytes) }
    }

    /// `replaceDurably(_:with:)` for contents that `write` gives to the new file piece by piece
    /// (a state image, written without building it in memory).
    package func replaceDurably(_ name: String, permissions: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead],
                                owner: (user: UserID, group: GroupID)? = nil,
                                writing write: (borrowing LocalFile) throws(FileIOError) -> Void) throws(FileIOError) {
        let final = appending(name)
        let temporary = appending(".tmp-" + name + "-" + String(UInt64.random(in: 0...UInt64.max), radix: 16))
        do throws(FileIOError) {
            let file = try LocalFile.create(temporary, permissions: permissions)
            do throws(FileIOError) {
                try write(file)
                if let owner { try file.changeOwner(to: owner) }
                try file.sync()
            } catch {
                _ = consume file
                throw error
            }
            try file.close()
            try FailPoints.check(.rename, final, operation: "rename to \(final)")
            if let error = SystemCall.move(temporary, to: final) { throw FileIOError("rename to \(final)", temporary, error) }
        } catch {
            _ = SystemCall.remove(temporary)
            throw error
        }
        try sync()
    }

    /// Removes the file `name` and flushes the directory; false when there was no such file.
    package func remove(_ name: String) throws(FileIOError) -> Bool {
        let file = appending(name)
        try FailPoints.check(.unlink, file, operation: "delete")
        if let error = SystemCall.remove(file) {
            if error == .noSuchFileOrDirectory { return false }
            throw FileIOError("delete", file, error)
        }
        try sync()
        return true
    }

    private static func makeDirectories(_ path: String) throws(FileIOError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            try FailPoints.check(.mkdir, prefix, operation: "create directory")
            if let error = SystemCall.makeDirectory(prefix, permissions: 0o755), error != .fileExists {
                throw FileIOError("create directory", prefix, error)
            }
        }
    }
}
