/// The JSON shapes of etcd's gateway answers, as decoded (keys converted from snake case). Every
/// field is optional because the gateway leaves out zero values; `EtcdJSON` checks what must be
/// there.
struct WireHeader: Decodable, Sendable {
    var revision: WireInt64?
}

struct WireKeyValue: Decodable, Sendable {
    var key: WireBytes?
    var value: WireBytes?
    var createRevision: WireInt64?
    var modRevision: WireInt64?
    var version: WireInt64?
    var lease: WireInt64?
}

struct WireRangeResponse: Decodable, Sendable {
    var header: WireHeader?
    var kvs: [WireKeyValue]?
    var more: Bool?
    var count: WireInt64?
}

struct WirePutResponse: Decodable, Sendable {
    var header: WireHeader?
}

struct WireDeleteResponse: Decodable, Sendable {
    var header: WireHeader?
    var deleted: WireInt64?
}

struct WireTxnResponse: Decodable, Sendable {
    struct Op: Decodable, Sendable {
        var responseRange: WireRangeResponse?
        var responsePut: WirePutResponse?
        var responseDeleteRange: WireDeleteResponse?
    }

    var header: WireHeader?
    /// Left out when false: a failed transaction has no `succeeded` at all.
    var succeeded: Bool?
    var responses: [Op]?
}

struct WireLeaseResponse: Decodable, Sendable {
    enum CodingKeys: String, CodingKey {
        case header
        case id = "ID"
        case ttl = "TTL"
        case error
    }

    var header: WireHeader?
    var id: WireInt64?
    var ttl: WireInt64?
    var error: String?
}

/// One line of a streamed answer (keepalive, watch): a result or an error.
struct WireStreamLine<Result: Decodable & Sendable>: Decodable, Sendable {
    var result: Result?
    var error: WireStreamError?
}

struct WireStreamError: Decodable, Sendable {
    var grpcCode: Int?
    var httpCode: Int?
    var message: String?
}

struct WireWatchResponse: Decodable, Sendable {
    struct Event: Decodable, Sendable {
        /// Left out for a put (its enum value is 0); "DELETE" for a delete or a lease expiry.
        var type: String?
        var kv: WireKeyValue?
    }

    var header: WireHeader?
    var created: Bool?
    var canceled: Bool?
    var compactRevision: WireInt64?
    var cancelReason: String?
    var events: [Event]?
}

/// The body of a refused unary request: `{"error": "...", "message": "...", "code": 5}`.
struct WireErrorBody: Decodable, Sendable {
    var error: String?
    var message: String?
    var code: Int?
}

struct WireAuthenticateResponse: Decodable, Sendable {
    var header: WireHeader?
    var token: String?
}
