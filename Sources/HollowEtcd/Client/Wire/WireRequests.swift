/// The JSON bodies the client sends, as etcd's gateway reads proto3 JSON: field names in snake
/// case, keys and values base64 (`WireBytes`), int64 numbers as decimal strings (`WireInt64`).
/// A nil field is left out, as the gateway does with zero values. `EtcdJSON.encode` writes them
/// with sorted keys, so that the same request is the same bytes (easier to read in logs and tests).

struct WireRangeRequest: Encodable, Sendable {
    enum CodingKeys: String, CodingKey {
        case key
        case rangeEnd = "range_end"
        case revision
        case limit
        case keysOnly = "keys_only"
    }

    var key: WireBytes
    var rangeEnd: WireBytes?
    var revision: WireInt64?
    var limit: WireInt64?
    /// Left out when false.
    var keysOnly: Bool?

    init(key: [UInt8], rangeEnd: [UInt8]?, revision: Int64? = nil, limit: Int64? = nil, keysOnly: Bool = false) {
        self.key = WireBytes(key)
        self.rangeEnd = rangeEnd.map(WireBytes.init)
        self.revision = revision.map(WireInt64.init)
        self.limit = limit.map(WireInt64.init)
        self.keysOnly = keysOnly ? true : nil
    }
}

struct WirePutRequest: Encodable, Sendable {
    var key: WireBytes
    var value: WireBytes
    /// Left out for 0: no lease.
    var lease: WireInt64?

    init(key: [UInt8], value: [UInt8], lease: Int64) {
        self.key = WireBytes(key)
        self.value = WireBytes(value)
        self.lease = lease == 0 ? nil : WireInt64(lease)
    }
}

struct WireDeleteRangeRequest: Encodable, Sendable {
    enum CodingKeys: String, CodingKey {
        case key
        case rangeEnd = "range_end"
    }

    var key: WireBytes
    var rangeEnd: WireBytes?

    init(key: [UInt8], rangeEnd: [UInt8]?) {
        self.key = WireBytes(key)
        self.rangeEnd = rangeEnd.map(WireBytes.init)
    }
}

struct WireTxnRequest: Encodable, Sendable {
    /// One comparison: the target names which one of the revision fields (or the value) is set.
    struct Compare: Encodable, Sendable {
        enum CodingKeys: String, CodingKey {
            case key, result, target, version, value
            case createRevision = "create_revision"
            case modRevision = "mod_revision"
        }

        var key: WireBytes
        var result: String
        var target: String
        var createRevision: WireInt64?
        var modRevision: WireInt64?
        var version: WireInt64?
        var value: WireBytes?

        init(_ compare: EtcdCompare) {
            key = WireBytes(compare.key)
            result = compare.result.rawValue
            switch compare.target {
            case .create(let revision):
                target = "CREATE"
                createRevision = WireInt64(revision)
            case .mod(let revision):
                target = "MOD"
                modRevision = WireInt64(revision)
            case .version(let version):
                target = "VERSION"
                self.version = WireInt64(version)
            case .value(let value):
                target = "VALUE"
                self.value = WireBytes(value)
            }
        }
    }

    /// One operation of a branch: exactly one of the three is set.
    struct Op: Encodable, Sendable {
        enum CodingKeys: String, CodingKey {
            case requestPut = "request_put"
            case requestRange = "request_range"
            case requestDeleteRange = "request_delete_range"
        }

        var requestPut: WirePutRequest?
        var requestRange: WireRangeRequest?
        var requestDeleteRange: WireDeleteRangeRequest?

        init(_ op: EtcdRequestOp) {
            switch op {
            case .put(let key, let value, let lease): requestPut = WirePutRequest(key: key, value: value, lease: lease)
            case .range(let key, let rangeEnd): requestRange = WireRangeRequest(key: key, rangeEnd: rangeEnd)
            case .delete(let key, let rangeEnd): requestDeleteRange = WireDeleteRangeRequest(key: key, rangeEnd: rangeEnd)
            }
        }
    }

    var compare: [Compare]
    var success: [Op]
    var failure: [Op]

    init(compare: [EtcdCompare], success: [EtcdRequestOp], failure: [EtcdRequestOp]) {
        self.compare = compare.map(Compare.init)
        self.success = success.map(Op.init)
        self.failure = failure.map(Op.init)
    }
}

/// The body of a lease grant: the TTL asked for, in seconds.
struct WireLeaseGrantRequest: Encodable, Sendable {
    enum CodingKeys: String, CodingKey {
        case ttl = "TTL"
    }

    var ttl: WireInt64
}

/// The body of a lease keep-alive or revoke: the lease's ID.
struct WireLeaseIDRequest: Encodable, Sendable {
    enum CodingKeys: String, CodingKey {
        case id = "ID"
    }

    var id: WireInt64
}

struct WireWatchRequest: Encodable, Sendable {
    struct Create: Encodable, Sendable {
        enum CodingKeys: String, CodingKey {
            case key
            case rangeEnd = "range_end"
            case startRevision = "start_revision"
        }

        var key: WireBytes
        var rangeEnd: WireBytes?
        var startRevision: WireInt64?
    }

    enum CodingKeys: String, CodingKey {
        case createRequest = "create_request"
    }

    var createRequest: Create

    init(key: [UInt8], rangeEnd: [UInt8]?, startRevision: Int64?) {
        createRequest = Create(key: WireBytes(key), rangeEnd: rangeEnd.map(WireBytes.init), startRevision: startRevision.map(WireInt64.init))
    }
}

/// The body of `/v3/auth/authenticate`.
struct WireAuthenticateRequest: Encodable, Sendable {
    var name: String
    var password: String
}

/// The body of `/v3/kv/compaction`: history before `revision` is dropped.
struct WireCompactionRequest: Encodable, Sendable {
    var revision: WireInt64
}
