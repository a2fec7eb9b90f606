import AsyncHTTPClient
import Logging
import NIOCore
import Synchronization

/// A small client of etcd's v3 JSON gateway (POST JSON to `/v3/...`; keys and values base64).
///
/// Each request has `requestTimeout`. A request that is safe to repeat (a read, a lease
/// keep-alive), or one that surely never reached etcd (no connection could be made), is tried up
/// to `attempts` times, each on the next endpoint, with a pause that starts at `initialBackoff`
/// and doubles. A write whose answer never came is not repeated: it fails with
/// `EtcdError.outcomeUnknown`, and the caller reads back to find out. The last endpoint that
/// answered is tried first.
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

    /// A client of the etcd at `configuration.endpoints`. Requests go over `httpClient` (by default
    /// the process-wide `HTTPClient.shared`, which needs no shutdown). Watch streams go over
    /// `watchHTTPClient`, by default `EtcdClient.sharedWatchHTTPClient`, also process-wide: each
    /// open watch holds a connection for its lifetime, and `HTTPClient.shared` keeps at most 8
    /// connections per host, so 8 watches on it would leave every other request waiting.
    package init(configuration: EtcdConnection.Configuration, httpClient: HTTPClient = .shared, watchHTTPClient: HTTPClient? = nil,
                 logger: Logger = Logger(label: "hollow.etcd")) throws(EtcdConnection.ConfigurationError) {
        self.endpoints = try configuration.checkedEndpoints()
        self.configuration = configuration
        self.http = httpClient
        self.watchHTTP = watchHTTPClient ?? Self.sharedWatchHTTPClient
        self.logger = logger
    }

    /// A client of the etcd at `endpoints` with the default timeout and retries.
    package convenience init(endpoints: [String], httpClient: HTTPClient = .shared,
                             logger: Logger = Logger(label: "hollow.etcd")) throws(EtcdConnection.ConfigurationError) {
        try self.init(configuration: EtcdConnection.Configuration(endpoints: endpoints), httpClient: httpClient, logger: logger)
    }

    /// The process-wide HTTP client of watch streams (never shut down, like `HTTPClient.shared`):
    /// no practical cap on connections per host, and a refused connection fails at once (the
    /// watch's own loop moves on and backs off) instead of being retried until the deadline.
    package static let sharedWatchHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 4096)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    // MARK: Keys

    /// The key `key`, or the keys from `key` up to `rangeEnd` (excluded), at `revision` (nil: the
    /// latest), at most `limit` of them (nil: all).
    package func range(key: [UInt8], rangeEnd: [UInt8]? = nil, revision: Int64? = nil,
                      limit: Int64? = nil) async throws(EtcdError) -> EtcdRangeResponse {
        let body = WireRangeRequest(key: key, rangeEnd: rangeEnd, revision: revision, limit: limit)
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
        if case .unreachable = error { return error.description }  // it names the endpoints already
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
