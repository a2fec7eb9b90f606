import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The calls `FileDescriptor` lacks (`fsync`, `flock`, `rename`, `unlink`, `mkdir`), each retried
/// on EINTR and with `errno` read right after the call, before anything else can change it.
enum SystemCall {
    /// Runs `call` until it does not fail with EINTR; nil on success, the error number otherwise.
    @inline(__always)
    static func retryingOnInterrupt(_ call: () -> Int32) -> Errno? {
        while true {
            if call() == 0 { return nil }
            let code = Errno(rawValue: errno)
            if code != .interrupted { return code }
        }
    }

    static func sync(_ descriptor: FileDescriptor) -> Errno? {
        retryingOnInterrupt { fsync(descriptor.rawValue) }
    }

    /// `flock`; with `LOCK_NB` an EWOULDBLOCK comes back as `.wouldBlock`.
    static func lock(_ descriptor: FileDescriptor, _ operation: Int32) -> Errno? {
        retryingOnInterrupt { flock(descriptor.rawValue, operation) }
    }

    static func move(_ from: String, to: String) -> Errno? {
        retryingOnInterrupt { rename(from, to) }
    }

    static func remove(_ path: String) -> Errno? {
        retryingOnInterrupt { unlink(path) }
    }

    static func changeOwner(_ descriptor: FileDescriptor, user: uid_t, group: gid_t) -> Errno? {
        retryingOnInterrupt { fchown(descriptor.rawValue, user, group) }
    }

    static func makeDirectory(_ path: String, permissions: mode_t) -> Errno? {
        retryingOnInterrupt { mkdir(path, permissions) }
    }
}
