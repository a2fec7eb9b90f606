import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file-system call that failed: which call, on what path, and why. Each store maps it to its
/// own typed error; its `description` is the `"<operation> <path>: <reason>"` they all print.
package struct FileIOError: Error, Sendable, Equatable, CustomStringConvertible {
    package var operation: String
    package var path: String
    /// The system's error number, captured right after the call (nil for a failure the layer
    /// found itself, such as a file that ended early).
    package var errno: Errno?
    package var message: String

    package init(_ operation: String, _ path: String, _ errno: Errno) {
        self.operation = operation
        self.path = path
        self.errno = errno
        message = String(cString: strerror(errno.rawValue))
    }

    package init(_ operation: String, _ path: String, message: String) {
        self.operation = operation
        self.path = path
        self.errno = nil
        self.message = message
    }

    /// The path (or a directory on the way to it) does not exist.
    package var isNotFound: Bool { errno == .noSuchFileOrDirectory }

    package var description: String { "\(operation) \(path): \(message)" }
}
