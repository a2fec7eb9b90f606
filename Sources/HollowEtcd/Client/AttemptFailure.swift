import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How one try of a request went wrong, as far as the client can tell whether etcd saw it.
enum AttemptFailure: Error, Sendable, Equatable {
    /// No connection was made: the request surely never reached etcd, so any request may be
    /// tried again.
    case notSent(String)
    /// No TLS session could be set up (the handshake failed): the request never reached etcd.
    case tlsFailed(String)
    /// The request may have been sent, and no (complete) answer came: it may have been applied.
    case noAnswer(String)
    case cancelled

    /// Sorts an error of the HTTP client. Only errors that can happen before a connection exists
    /// count as `notSent`; anything else might have followed the request onto the wire.
    static func classify(_ error: any Error) -> AttemptFailure {
        if error is CancellationError { return .cancelled }
        if let error = error as? NIOConnectionError { return .notSent(describe(error)) }
        if let error = error as? NIOSSLError { return .tlsFailed("TLS handshake failed: \(error)") }
        if let error = error as? BoringSSLError { return .tlsFailed("TLS: \(error)") }
        if error is NIOSSLExtraError { return .tlsFailed("TLS: \(error)") }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return .notSent("connection timed out")
            case .tlsHandshakeTimeout: return .tlsFailed("TLS handshake timed out")
            case .getConnectionFromPoolTimeout: return .notSent("no connection could be made in time")
            case .cancelled: return Task.isCancelled ? .cancelled : .noAnswer("request cancelled")
            case .deadlineExceeded: return .noAnswer("no answer before the deadline")
            case .remoteConnectionClosed: return .noAnswer("connection closed before the answer")
            case .readTimeout: return .noAnswer("read timed out")
            default: return .noAnswer("\(error)")
            }
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return .notSent("connection timed out") }
        // A pooled connection the member closed (it died) before the request was written.
        if let error = error as? ChannelError, case .ioOnClosedChannel = error { return .notSent("connection closed before sending") }
        if let error = error as? IOError, [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL].contains(error.errnoCode) {
            return .notSent(String(cString: strerror(error.errnoCode)))
        }
        return .noAnswer("\(error)")
    }

    /// "connection refused" rather than NIO's full report of each address tried.
    private static func describe(_ error: NIOConnectionError) -> String {
        if let dns = error.dnsAError ?? error.dnsAAAAError { return "cannot resolve \(error.host): \(dns)" }
        let reasons = error.connectionErrors.map { failure -> String in
            if let io = failure.error as? IOError { return String(cString: strerror(io.errnoCode)) }
            return "\(failure.error)"
        }
        return Array(Set(reasons)).sorted().joined(separator: ", ").lowercased()
    }

    /// Whether the request surely never reached etcd.
    var neverSent: Bool {
        switch self {
        case .notSent, .tlsFailed: true
        case .noAnswer, .cancelled: false
        }
    }

    var reason: String {
        switch self {
        case .notSent(let reason), .noAnswer(let reason), .tlsFailed(let reason): reason
        case .cancelled: "cancelled"
        }
    }
}
