#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file mapped into memory, private to this process: the storage of a state image,
/// which the state's types and indexes view in place instead of copying. Unmapped when the last
/// storage that views it goes.
///
/// The mapping is read-only: a write to it faults, in every build (mapped storage counts as
/// published from the start, `BitStorage.isFrozen`).
///
/// The file must not be truncated while it is mapped (pages past the new end would fault): images
/// are replaced by renaming a new file over the old name, which leaves the mapped one intact.
final class MappedFile: @unchecked Sendable {  // immutable after init
    let base: UnsafeMutableRawPointer
    let byteCount: Int

    /// Maps the regular file at `path`. The size is read once, from the open descriptor.
    /// `populate`: map every page at once (one call instead of a fault a page), for a reader
    /// that reads the whole file anyway.
    init(path: String, populate: Bool = false) throws(StateImageError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw .unreadable(path: path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(path: path, String(cString: strerror(errno))) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(path: path, "not a regular file") }
        let size = Int(status.st_size)
        guard size > 0 else { throw .unreadable(path: path, "an empty file") }
        let protection = PROT_READ
        #if os(Linux)
        let flags = populate ? MAP_PRIVATE | MAP_POPULATE : MAP_PRIVATE
        #else
        let flags = MAP_PRIVATE
        #endif
        let address = mmap(nil, size, protection, flags, descriptor, 0)
        guard let address, address != MAP_FAILED else { throw .unreadable(path: path, "mmap: \(String(cString: strerror(errno)))") }
        base = address
        byteCount = size
    }

    deinit { munmap(base, byteCount) }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: byteCount) }
}
