import AsyncHTTPClient
import Hollow
import Logging
import NIOCore

extension EtcdClient {
    /// Sends one unary request with the client's retry rules (see the type's comment); returns the
    /// body of a 200 answer.
    func send(_ operation: EtcdOperation, _ body: some Encodable) async throws(EtcdError) -> [UInt8] {
        let bytes = EtcdJSON.encode(body)
        var failures: [(endpoint: String, failure: AttemptFailure)] = []
        var pause = configuration.initialBackoff
        let deadline = ContinuousClock.now + configuration.retryBudget
        let first = preferredIndex
        var tries = 0  // every try, for the turn of endpoints
        var counted = 0  // the tries that may have reached etcd: at most `attempts`
        while counted < configuration.attempts {
            if tries > 0 {
                // A member that cannot be reached costs nothing against `attempts`, but the whole
                // request stays within the retry budget.
                // Every member is tried at least once, however long the first tries took.
                guard ContinuousClock.now < deadline || tries < endpoints.count else { break }
                if tries % endpoints.count == 0 {  // every endpoint was tried: pause
                    do { try await Task.sleep(for: pause) } catch { throw .cancelled }
                    pause = min(pause * 2, .seconds(1))
                }
            }
            let index = (first + tries) % endpoints.count
            tries += 1
            let endpoint = endpoints[index]
            switch try await authorizedAttempt(operation, bytes, endpoint: endpoint) {
            case .success(let answer):
                if answer.status == 200 {
                    preferredIndex = index
                    return answer.body
                }
                let error = Self.serverError(operation, status: answer.status, body: answer.body)
                if Self.memberHasNoLeader(error) {
                    // Refused before anything was proposed: any request may go to another member.
                    logger.debug("etcd member without a leader, trying another", metadata: ["operation": "\(operation.name)", "endpoint": "\(endpoint)"])
                    failures.append((endpoint, .notSent("\(error)")))
                    moveAway(from: index)
                    continue
                }
                // Unavailable (14): etcd is between leaders or overloaded; a read may go elsewhere.
                if case .server(_, 14, _) = error, operation.safeToRepeat, counted + 1 < configuration.attempts {
                    logger.debug("etcd busy, trying again", metadata: ["operation": "\(operation.name)", "endpoint": "\(endpoint)", "error": "\(error)"])
                    failures.append((endpoint, .noAnswer("\(error)")))
                    counted += 1
                    moveAway(from: index)
                    continue
                }
                throw error
            case .failure(.cancelled):
                throw .cancelled
            case .failure(let failure):
                failures.append((endpoint, failure))
                moveAway(from: index)
                logger.debug("etcd request failed", metadata: [
                    "operation": "\(operation.name)", "endpoint": "\(endpoint)", "try": "\(tries)", "reason": "\(failure.reason)",
                ])
                if case .notSent = failure { continue }  // costs no attempt
                if !failure.neverSent, !operation.safeToRepeat {
                    throw .outcomeUnknown(operation: operation.name, reason: "\(endpoint): \(failure.reason)")
                }
                counted += 1
            }
        }
        throw exhausted(operation, failures: failures.map(\.failure), endpoints: Array(Set(failures.map(\.endpoint))).sorted())
    }

    /// A try at `endpoint` with the auth token when credentials are given (asking for one first
    /// when none is held); when etcd says the token is invalid, more tries with new tokens. etcd
    /// refuses such a request before proposing it, so trying again is safe; a fresh token may be
    /// refused too (it lapsed on a loaded machine before it was used, or the member's auth store
    /// lags behind the one that issued it), hence a few renewals, not one.
    private func authorizedAttempt(_ operation: EtcdOperation, _ body: [UInt8],
                                   endpoint: String) async throws(EtcdError) -> Result<(status: Int, body: [UInt8]), AttemptFailure> {
        var renewals = 0
        while true {
            let token: String?
            switch try await authorization(at: endpoint) {
            case .failure(let failure): return .failure(failure)
            case .success(let held): token = held
            }
            let outcome = await attempt(operation, body, endpoint: endpoint, token: token)
            guard let token, renewals < Self.maximumTokenRenewals, case .success(let answer) = outcome, answer.status != 200,
                  Self.isInvalidToken(Self.serverError(operation, status: answer.status, body: answer.body)) else { return outcome }
            logger.debug("etcd refused the auth token, asking for a new one", metadata: ["endpoint": "\(endpoint)", "renewals": "\(renewals)"])
            discardToken(token)
            renewals += 1
        }
    }

    /// New tokens asked for in one attempt before etcd's refusal is returned as it is.
    static let maximumTokenRenewals = 3

    /// "etcdserver: no leader" or "not leader": the member refused before proposing anything.
    static func memberHasNoLeader(_ error: EtcdError) -> Bool {
        guard case .server(_, _, let message) = error else { return false }
        return message.contains("no leader") || message.contains("not leader")
    }

    /// The next request starts at the endpoint after `index`, unless another one answered since.
    func moveAway(from index: Int) {
        let count = endpoints.count
        preferredEndpointIndex.withLock { if $0 == index { $0 = (index + 1) % count } }
    }

    private var preferredIndex: Int {
        get { preferredEndpointIndex.withLock { $0 } }
        set { preferredEndpointIndex.withLock { $0 = newValue } }
    }

    /// One try on one endpoint, bounded by the request timeout from sending to the last byte.
    func attempt(_ operation: EtcdOperation, _ body: [UInt8], endpoint: String,
                 token: String?) async -> Result<(status: Int, body: [UInt8]), AttemptFailure> {
        let deadline = ContinuousClock.now + configuration.requestTimeout
        let response: HTTPClientResponse
        do {
            response = try await http.execute(Self.request(operation, body, endpoint: endpoint, token: token), timeout: Self.timeAmount(configuration.requestTimeout), logger: logger)
        } catch {
            return .failure(AttemptFailure.classify(error))
        }
        let limit = configuration.maximumResponseBytes
        let remaining = deadline - ContinuousClock.now
        do {
            let buffer = try await Self.collect(response.body, upTo: limit, within: remaining)
            return .success((Int(response.status.code), Array(buffer.readableBytesView)))
        } catch is NIOTooManyBytesError {
            return .success((Int(response.status.code), Array("{\"message\":\"answer larger than \(limit) bytes\",\"code\":8}".utf8)))
        } catch {
            return .failure(AttemptFailure.classify(error))
        }
    }

    /// A POST of `body` (JSON) to `operation`'s path on `endpoint`, with etcd's auth token when
    /// one is held (the gateway takes it bare in `Authorization`, no "Bearer").
    static func request(_ operation: EtcdOperation, _ body: [UInt8], endpoint: String, token: String?) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: endpoint + operation.path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: token) }
        request.body = .bytes(ByteBuffer(bytes: body))
        return request
    }

    /// The whole body, or an error when it takes longer than `within` (the answer's head came, but
    /// its body could still stall).
    static func collect(_ body: HTTPClientResponse.Body, upTo limit: Int, within: Duration) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await body.collect(upTo: limit) }
            group.addTask {
                try await Task.sleep(for: max(within, .zero))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else { throw HTTPClientError.deadlineExceeded }
            return buffer
        }
    }

    /// etcd's error body as an `EtcdError`; a body that is not one is a malformed answer.
    static func serverError(_ operation: EtcdOperation, status: Int, body: [UInt8]) -> EtcdError {
        guard let error = EtcdJSON.serverError(body) else {
            let text = String(decoding: body.prefix(200), as: UTF8.self)
            return .malformedResponse(what: "HTTP status \(status) with body '\(text)'", where: "\(operation.name) response")
        }
        return .server(operation: operation.name, code: error.code, message: error.message)
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(duration.nanoseconds)
    }
}
