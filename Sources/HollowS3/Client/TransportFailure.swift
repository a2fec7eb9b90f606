import AsyncHTTPClient
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How one try went wrong below HTTP. Every call of the store is safe to repeat, so any failure
/// but a cancellation is tried again; `notConnected` only says whether to report the server as
/// unreachable once every try failed that way.
enum TransportFailure: Error, Sendable, Equatable {
    /// No connection was made (refused, unresolvable, timed out connecting).
    case notConnected(String)
    /// Connected, but no whole answer came (a timeout, a connection closed midway).
    case noAnswer(String)
    case cancelled

    static func classify(_ error: any Error) -> TransportFailure {
        if error is CancellationError { return .cancelled }
        if let error = error as? NIOConnectionError { return .notConnected(describe(error)) }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return .notConnected("connection timed out")
            case .getConnectionFromPoolTimeout: return .notConnected("no connection could be made in time")
            case .cancelled: return Task.isCancelled ? .cancelled : .noAnswer("request cancelled")
            case .deadlineExceeded: return .noAnswer("no answer within the request timeout")
            case .remoteConnectionClosed: return .noAnswer("connection closed before the whole answer")
            case .readTimeout: return .noAnswer("read timed out")
            default: return .noAnswer("\(error)")
            }
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return .notConnected("connection timed out") }
        if let error = error as? IOError, [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL].contains(error.errnoCode) {
            return .notConnected(String(cString: strerror(error.errnoCode)).lowercased())
        }
        return .noAnswer("\(error)")
    }

    /// "connection refused" rather than NIO's report of each address tried.
    private static func describe(_ error: NIOConnectionError) -> String {
        if let dns = error.dnsAError ?? error.dnsAAAAError { return "cannot resolve \(error.host): \(dns)" }
        let reasons = error.connectionErrors.map { failure -> String in
            if let io = failure.error as? IOError { return String(cString: strerror(io.errnoCode)) }
            return "\(failure.error)"
        }
        return Array(Set(reasons)).sorted().joined(separator: ", ").lowercased()
    }

    var reason: String {
        switch self {
        case .notConnected(let reason), .noAnswer(let reason): reason
        case .cancelled: "cancelled"
        }
    }
}
