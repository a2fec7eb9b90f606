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
        let first = preferredIndex
        for attempt in 0..<configuration.attempts {
            try await backOff(before: attempt, pause: &pause)
            let index = (first + attempt) % endpoints.count
            let endpoint = endpoints[index]
            let outcome = await self.attempt(operation, bytes, endpoint: endpoint)
            switch outcome {
            case .success(let answer):
                if answer.status == 200 {
                    preferredIndex = index
                    return answer.body
                }
                let error = Self.serverError(operation, status: answer.status, body: answer.body)
                // Unavailable (14): etcd is between leaders or overloaded; a read may go elsewhere.
                if case .server(_, 14, _) = error, operation.safeToRepeat, attempt + 1 < configuration.attempts {
                    logger.debug("etcd busy, trying again", metadata: ["operation": "\(operation.name)", "endpoint": "\(endpoint)", "error": "\(error)"])
                    failures.append((endpoint, .noAnswer("\(error)")))
                    continue
                }
                throw error
            case .failure(.cancelled):
                throw .cancelled
            case .failure(let failure):
                failures.append((endpoint, failure))
                if case .noAnswer(let reason) = failure, !operation.safeToRepeat {
                    throw .outcomeUnknown(operation: operation.name, reason: "\(endpoint): \(reason)")
                }
                logger.debug("etcd request failed", metadata: [
                    "operation": "\(operation.name)", "endpoint": "\(endpoint)", "attempt": "\(attempt + 1)", "reason": "\(failure.reason)",
                ])
            }
        }
        throw exhausted(operation, failures: failures.map(\.failure), endpoints: Array(Set(failures.map(\.endpoint))).sorted())
    }

    private var preferredIndex: Int {
        get { preferredEndpointIndex.withLock { $0 } }
        set { preferredEndpointIndex.withLock { $0 = newValue } }
    }

    /// One try on one endpoint, bounded by the request timeout from sending to the last byte.
    private func attempt(_ operation: EtcdOperation, _ body: [UInt8],
                         endpoint: String) async -> Result<(status: Int, body: [UInt8]), AttemptFailure> {
        let deadline = ContinuousClock.now + configuration.requestTimeout
        let response: HTTPClientResponse
        do {
            response = try await http.execute(Self.request(operation, body, endpoint: endpoint), timeout: Self.timeAmount(configuration.requestTimeout), logger: logger)
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

    /// A POST of `body` (JSON) to `operation`'s path on `endpoint`.
    static func request(_ operation: EtcdOperation, _ body: [UInt8], endpoint: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: endpoint + operation.path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
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
