import AsyncHTTPClient
import Logging
import NIOCore
import Synchronization

/// A small client of etcd's v3 JSON gateway (POST JSON to `/v3/...`; keys and values base64).
///
/// Each request has `requestTimeout`. A request that is safe to repeat (a read, a lease
/// keep-alive) is tried up to `attempts` times, each on the next endpoint, with a pause that
/// starts at `initialBackoff` and doubles once every endpoint was tried. A request that surely
/// never reached etcd (a refused connection, a failed TLS handshake) or that a member refused for
/// having no leader goes to the next endpoint at once and does not count as an attempt, within
/// the retry budget. A write whose answer never came is not repeated: it fails with
/// `EtcdError.outcomeUnknown`, and the caller reads back to find out. The last endpoint that
/// answered is tried first. With `credentials`, requests carry etcd's auth token, renewed (up to
/// three times an attempt) when etcd says it is invalid.
///
/// `package`: the product offers the log and the election over an `EtcdConnection`, not a
/// general etcd client; the package's tests use it directly.
package final class EtcdClient: Sendable {
    package let configuration: EtcdConnection.Configuration
    let http: HTTPClient
    let watchHTTP: HTTPClient
    let logger: Logger
    /// Endpoints without a trailing slash, checked.
    let endpoints: [String]
    /// The endpoint that answered last, tried first.
    let preferredEndpointIndex = Mutex(0)
    /// etcd's auth token while `credentials` are given (nil: none asked for yet, or discarded).
    let authToken = Mutex<String?>(nil)
    /// How many times a token was asked for (tests check renewals).
    package let authentications = Atomic<Int>(0)

    /// A client of the etcd at `configuration.endpoints`. Requests and watch streams go over the
    /// process-wide clients of `EtcdHTTPClients` for the configuration's TLS (no shutdown needed),
    /// unless `httpClient` or `watchHTTPClient` are given. Watches have a client of their own:
    /// each open watch holds a connection for its lifetime.
    package init(configuration: EtcdConnection.Configuration, httpClient: HTTPClient? = nil, watchHTTPClient: HTTPClient? = nil,
                 logger: Logger = Logger(label: "hollow.etcd")) throws(EtcdConnection.ConfigurationError) {
        self.endpoints = try configuration.checkedEndpoints()
        self.configuration = configuration
        let shared = try EtcdHTTPClients.clients(for: configuration.tls)
        self.http = httpClient ?? shared.requests
        self.watchHTTP = watchHTTPClient ?? shared.watches
        self.logger = logger
    }

    /// A client of the etcd at `endpoints` with the default timeout and retries.
    package convenience init(endpoints: [String], httpClient: HTTPClient? = nil,
                             logger: Logger = Logger(label: "hollow.etcd")) throws(EtcdConnection.ConfigurationError) {
        try self.init(configuration: EtcdConnection.Configuration(endpoints: endpoints), httpClient: httpClient, logger: logger)
    }

    // MARK: Keys

    /// The key `key`, or the keys from `key` up to `rangeEnd` (excluded), at `revision` (nil: the
    /// latest), at most `limit` of them (nil: all); with `keysOnly`, without their values.
    package func range(key: [UInt8], rangeEnd: [UInt8]? = nil, revision: Int64? = nil,
                      limit: Int64? = nil, keysOnly: Bool = false) async throws(EtcdError) -> EtcdRangeResponse {
        let body = WireRangeRequest(key: key, rangeEnd: rangeEnd, revision: revision, limit: limit, keysOnly: keysOnly)
        let bytes: [UInt8]
        do { bytes = try await send(.range, body) } catch {
            if case .server(_, 11, let message) = error, message.contains("compacted"), let revision {
                throw .compacted(revision: revision)
            }
            throw error
        }
        let place = EtcdOperation.range.name + " response"
        return try EtcdJSON.range(EtcdJSON.decode(WireRangeResponse.self, from: bytes, place: place), place: place)
    }

    /// Writes `value` under `key`, attached to `lease` when not 0. Returns the header of the
    /// revision it made.
    @discardableResult
    package func put(key: [UInt8], value: [UInt8], lease: Int64 = 0) async throws(EtcdError) -> EtcdResponseHeader {
        let bytes = try await send(.put, WirePutRequest(key: key, value: value, lease: lease))
        let place = EtcdOperation.put.name + " response"
        return try EtcdJSON.header(EtcdJSON.decode(WirePutResponse.self, from: bytes, place: place).header, place: place)
    }

    /// Deletes `key`, or the keys from `key` up to `rangeEnd` (excluded).
    @discardableResult
    package func delete(key: [UInt8], rangeEnd: [UInt8]? = nil) async throws(EtcdError) -> EtcdDeleteResponse {
        let bytes = try await send(.delete, WireDeleteRangeRequest(key: key, rangeEnd: rangeEnd))
        let place = EtcdOperation.delete.name + " response"
        let wire = try EtcdJSON.decode(WireDeleteResponse.self, from: bytes, place: place)
        let deleted = wire.deleted.orZero
        guard deleted >= 0 else { throw .malformedResponse(what: "deleted \(deleted) keys", where: place) }
        return EtcdDeleteResponse(header: try EtcdJSON.header(wire.header, place: place), deleted: deleted)
    }

    /// Drops etcd's history before `revision` (cluster-wide: every key's older values and
    /// tombstones). A revision compacted already is no error.
    package func compact(revision: Int64) async throws(EtcdError) {
        do { _ = try await send(.compaction, WireCompactionRequest(revision: WireInt64(revision))) } catch {
            if case .server(_, _, let message) = error, message.contains("compacted") { return }
            throw error
        }
    }

    /// Runs `success` if every comparison holds, else `failure`, atomically.
    package func txn(compare: [EtcdCompare], success: [EtcdRequestOp],
                    failure: [EtcdRequestOp] = []) async throws(EtcdError) -> EtcdTxnResponse {
        let bytes = try await send(.txn, WireTxnRequest(compare: compare, success: success, failure: failure))
        let place = EtcdOperation.txn.name + " response"
        let response = try EtcdJSON.txn(EtcdJSON.decode(WireTxnResponse.self, from: bytes, place: place), place: place)
        let expected = response.succeeded ? success.count : failure.count
        guard response.responses.count == expected else {
            throw .malformedResponse(what: "\(response.responses.count) operation responses for \(expected) operations", where: place)
        }
        return response
    }

    /// `error` as a sentence that names this client's etcd (for the errors of the election and
    /// the log, which have no case of their own for etcd's failures).
    package func explain(_ error: EtcdError) -> String {
        switch error {
        case .unreachable, .tlsFailed, .authenticationFailed: return error.description  // they name the endpoints already
        default: break
        }
        return "etcd at \(endpoints.joined(separator: ", ")): \(error)"
    }

    /// The end of the range of every key that starts with `prefix`: the prefix with its last
    /// byte below 0xFF raised by one (etcd's `WithPrefix`).
    package static func prefixEnd(_ prefix: [UInt8]) -> [UInt8] {
        var end = prefix
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return [0]  // every key
    }
}
