#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback port that refuses connections for as long as this value lives: bound without
/// listening and without `SO_REUSEADDR`, so that a server another test starts meanwhile cannot
/// take it (a port that was merely free when chosen can be). For tests of "nobody listens there".
public final class ClosedPort: Sendable {
    public let port: Int
    private let descriptor: Int32

    public init() throws(LoopbackPort.Failure) {
        var lastError = ""
        for _ in 0..<200 {
            let candidate = Int.random(in: 20_000..<32_768)
            let candidateSocket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard candidateSocket >= 0 else { throw LoopbackPort.Failure(description: "socket: \(String(cString: strerror(errno)))") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(candidate).bigEndian
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(candidateSocket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound == 0 {
                port = candidate
                descriptor = candidateSocket
                return
            }
            lastError = String(cString: strerror(errno))
            close(candidateSocket)
        }
        throw LoopbackPort.Failure(description: "no port in 20000-32767 could be bound after 200 tries: \(lastError)")
    }

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    deinit { close(descriptor) }
}
