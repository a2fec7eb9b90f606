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
        for _ in 0..<200 {
            let candidate = Int.random(in: 20_000..<32_768)
            if let bound = try LoopbackPort.bound(candidate).get() {
                port = candidate
                descriptor = bound
                return
            }
        }
        throw LoopbackPort.Failure(description: "no port in 20000-32767 could be bound after 200 tries")
    }

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    deinit { close(descriptor) }
}
