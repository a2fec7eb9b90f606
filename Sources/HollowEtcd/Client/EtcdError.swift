/// Why a request to etcd failed. Every case says what to look at: the endpoints, the operation, or
/// the part of a response that could not be read.
package enum EtcdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No endpoint could be connected to: the requests surely never reached etcd.
    case unreachable(endpoints: [String], reason: String)
    /// No TLS session could be set up with any endpoint (an untrusted server certificate, a client
    /// certificate etcd refused or did not get): the requests never reached etcd.
    case tlsFailed(endpoints: [String], reason: String)
    /// etcd refused the user and password (or the user does not exist).
    case authenticationFailed(user: String, endpoint: String, message: String)
    /// A request that is safe to repeat got no answer in time from any endpoint.
    case timeout(operation: String, after: Duration)
    /// A request that changes data was sent but its answer never came (a timeout, a connection
    /// closed mid-way): it may or may not have been applied. It is not repeated blindly; read back
    /// to find out.
    case outcomeUnknown(operation: String, reason: String)
    /// etcd answered with an error: the gRPC status code and message of its JSON error body.
    case server(operation: String, code: Int, message: String)
    /// A response that does not say what etcd's v3 API says it should: `what` was wrong, `where`
    /// names the operation and the field.
    case malformedResponse(what: String, where: String)
    /// The revision asked for was compacted away; `revision` is the oldest one etcd still has
    /// (from a watch), or the one asked for (from a range).
    case compacted(revision: Int64)
    /// A watch stream was cut (etcd stopped, the connection broke, the stream ended).
    case disconnected(endpoint: String, reason: String)
    /// An endpoint that is not an `http://host:port` address.
    case invalidEndpoint(String)
    /// The calling task was cancelled.
    case cancelled

    /// What to do about a refusal that means etcd has authentication on.
    private static func hint(_ message: String) -> String {
        if message.contains("user name is empty") || message.contains("invalid auth token") {
            return ". etcd has authentication on: give a user and password (--etcd-user, --etcd-password-file)"
        }
        if message.contains("permission denied") {
            return ". etcd has authentication on: give a user and password (--etcd-user, --etcd-password-file) whose role may "
                + "read and write the prefix (etcdctl role grant-permission)"
        }
        return ""
    }

    package var description: String {
        switch self {
        case .unreachable(let endpoints, let reason):
            "etcd unreachable at \(endpoints.joined(separator: ", ")): \(reason). Is etcd running and listening there? "
                + "Start one with `etcd --listen-client-urls \(endpoints.first ?? "http://127.0.0.1:2379") "
                + "--advertise-client-urls \(endpoints.first ?? "http://127.0.0.1:2379")`, or check the endpoints and the network."
        case .tlsFailed(let endpoints, let reason):
            "no TLS session with etcd at \(endpoints.joined(separator: ", ")): \(reason). Check that the CA file trusts etcd's "
                + "server certificate (--etcd-ca), that the client certificate and key are given when etcd asks for one "
                + "(--etcd-cert, --etcd-key, for --client-cert-auth), and that the endpoints are etcd's https:// client URLs."
        case .authenticationFailed(let user, let endpoint, let message):
            "etcd at \(endpoint) refused user '\(user)': \(message). Check the user name (--etcd-user) and the password "
                + "(--etcd-password-file or HOLLOW_ETCD_PASSWORD), or ask the etcd operator for an account."
        case .timeout(let operation, let after):
            "etcd \(operation): no answer within \(after) from any endpoint (is etcd overloaded, stopped or partitioned?)"
        case .outcomeUnknown(let operation, let reason):
            "etcd \(operation): sent, but no answer came (\(reason)); it may or may not have been applied"
        case .server(let operation, let code, let message):
            "etcd \(operation) refused: \(message) (gRPC code \(code))" + Self.hint(message)
        case .malformedResponse(let what, let place):
            "malformed etcd response at \(place): \(what)"
        case .compacted(let revision):
            "etcd revision compacted (the oldest revision kept is \(revision))"
        case .disconnected(let endpoint, let reason):
            "etcd watch stream from \(endpoint) cut: \(reason)"
        case .invalidEndpoint(let endpoint):
            "'\(endpoint)' is not an etcd endpoint: give http://host:port"
        case .cancelled:
            "etcd request cancelled"
        }
    }
}
