extension EtcdClient {
    /// A new lease of `ttl` seconds (etcd raises a TTL below its minimum, 2 s with default
    /// election settings: the answer says what was granted).
    package func grantLease(ttl: Int64) async throws(EtcdError) -> EtcdLease {
        let bytes = try await send(.leaseGrant, WireLeaseGrantRequest(ttl: WireInt64(ttl)))
        let place = EtcdOperation.leaseGrant.name + " response"
        let wire = try EtcdJSON.decode(WireLeaseResponse.self, from: bytes, place: place)
        _ = try EtcdJSON.header(wire.header, place: place)
        if let error = wire.error, !error.isEmpty { throw .server(operation: EtcdOperation.leaseGrant.name, code: 2, message: error) }
        guard let id = wire.id?.value, id != 0 else { throw .malformedResponse(what: "no lease ID", where: place) }
        guard let granted = wire.ttl?.value, granted > 0 else { throw .malformedResponse(what: "no TTL granted", where: place) }
        return EtcdLease(id: id, ttl: granted)
    }

    /// Renews lease `id`; returns the TTL it has again, in seconds, or 0 when the lease no longer
    /// exists (it expired or was revoked).
    ///
    /// Seen on etcd 3.4's gateway: `/v3/lease/keepalive` is a streaming call, but a POST of one
    /// `{"ID":"…"}` gets exactly one line, `{"result":{"header":…,"ID":"…","TTL":"5"}}`, and the
    /// answer ends there (chunked, then closed), so it is used as a plain request. For a lease
    /// that does not exist the result has no TTL (zero is left out): HTTP 200, not an error.
    package func keepAlive(lease id: Int64) async throws(EtcdError) -> Int64 {
        try Self.keepAliveTTL(try await send(.leaseKeepAlive, WireLeaseIDRequest(id: WireInt64(id))), lease: id)
    }

    /// The TTL in a keep-alive answer for lease `id` (0: the lease is gone).
    static func keepAliveTTL(_ bytes: [UInt8], lease id: Int64) throws(EtcdError) -> Int64 {
        let place = EtcdOperation.leaseKeepAlive.name + " response"
        let line = try EtcdJSON.decode(WireStreamLine<WireLeaseResponse>.self, from: Self.firstLine(bytes), place: place)
        if let error = line.error {
            throw .server(operation: EtcdOperation.leaseKeepAlive.name, code: error.grpcCode ?? 2, message: error.message ?? "unknown error")
        }
        guard let result = line.result else { throw .malformedResponse(what: "neither a result nor an error", where: place) }
        _ = try EtcdJSON.header(result.header, place: place)
        guard result.id?.value == id else {
            throw .malformedResponse(what: "the answer is for lease \(result.id.orZero), not \(id)", where: place)
        }
        let ttl = result.ttl.orZero
        guard ttl >= 0 else { throw .malformedResponse(what: "a negative TTL \(ttl)", where: place) }
        return ttl
    }

    /// Ends lease `id` now: the keys attached to it are deleted. A lease that no longer exists is
    /// `EtcdError.server` with code 5 (not found).
    package func revokeLease(_ id: Int64) async throws(EtcdError) {
        let bytes = try await send(.leaseRevoke, WireLeaseIDRequest(id: WireInt64(id)))
        let place = EtcdOperation.leaseRevoke.name + " response"
        _ = try EtcdJSON.header(EtcdJSON.decode(WirePutResponse.self, from: bytes, place: place).header, place: place)
    }

    /// A streamed answer's first line (the keep-alive stream sends one).
    static func firstLine(_ bytes: [UInt8]) -> [UInt8] {
        Array(bytes.prefix { $0 != UInt8(ascii: "\n") })
    }
}
