#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ports for servers that tests start on loopback (etcd, an S3-compatible server, nginx).
public enum LoopbackPort {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A port nobody listens on now, chosen at random from 20000-32767: below the kernel's
    /// ephemeral range (32768 and up by default), so that no outgoing connection of the tests
    /// takes it as its local port before the server binds it, as one could with a port the
    /// kernel picked. Another process may still take it first; servers that fail to bind are
    /// started again on another.
    public static func free() throws(Failure) -> Int {
        var lastError = ""
        for _ in 0..<200 {
            let port = Int.random(in: 20_000..<32_768)
            switch bindable(port) {
            case .success(true): return port
            case .success(false): continue
            case .failure(let failure): lastError = failure.description
            }
        }
        throw Failure(description: "no free port in 20000-32767 after 200 tries\(lastError.isEmpty ? "" : ": " + lastError)")
    }

    /// Whether 127.0.0.1:`port` can be bound now (false when it is in use).
    private static func bindable(_ port: Int) -> Result<Bool, Failure> {
        bound(port).map { descriptor in
            if let descriptor { close(descriptor) }
            return descriptor != nil
        }
    }

    /// A socket bound to 127.0.0.1:`port` (not listening, without `SO_REUSEADDR`), which the
    /// caller closes; nil when the port is in use.
    static func bound(_ port: Int) -> Result<Int32?, Failure> {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return .failure(Failure(description: "socket: \(String(cString: strerror(errno)))")) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result == 0 { return .success(socket) }
        let failure = errno
        close(socket)
        if failure == EADDRINUSE || failure == EACCES { return .success(nil) }
        return .failure(Failure(description: "bind: \(String(cString: strerror(failure)))"))
    }
}
