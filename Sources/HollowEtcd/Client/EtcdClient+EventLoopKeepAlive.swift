import AsyncHTTPClient
import NIOCore

extension EtcdClient {
    /// One lease keep-alive sent and read on an event loop of the HTTP client, without the Swift
    /// concurrency pool: a leader's keep-alives must not wait for a turn behind a cycle's CPU work
    /// (a busy pool would otherwise cost the lease). One attempt, to the preferred endpoint; on
    /// failure the next endpoint becomes the preferred one, so the next tick goes there. The
    /// future fails with an `EtcdError`.
    func keepAliveOnEventLoop(lease id: Int64, timeout: Duration) -> EventLoopFuture<Int64> {
        let eventLoop = http.eventLoopGroup.next()
        let index = preferredEndpointIndex.withLock { $0 } % endpoints.count
        let endpoint = endpoints[index]
        var request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: endpoint + EtcdOperation.leaseKeepAlive.path, method: .POST,
                                             body: .bytes(EtcdJSON.encode(WireLeaseIDRequest(id: WireInt64(id)))))
        } catch {
            return eventLoop.makeFailedFuture(EtcdError.invalidEndpoint(endpoint))
        }
        request.headers.add(name: "Content-Type", value: "application/json")
        let token = authToken.withLock { $0 }.flatMap { $0.isEmpty ? nil : $0 }
        if let token { request.headers.add(name: "Authorization", value: token) }
        let rotate: @Sendable () -> Void = { [endpoints] in
            self.preferredEndpointIndex.withLock { if $0 == index { $0 = (index + 1) % endpoints.count } }
        }
        return http.execute(request: request, eventLoop: .delegate(on: eventLoop), deadline: .now() + Self.timeAmount(timeout), logger: logger)
            .flatMapErrorThrowing { error in
                rotate()
                let failure = AttemptFailure.classify(error)
                if case .notSent(let reason) = failure { throw EtcdError.unreachable(endpoints: [endpoint], reason: reason) }
                if case .tlsFailed(let reason) = failure { throw EtcdError.tlsFailed(endpoints: [endpoint], reason: reason) }
                throw EtcdError.timeout(operation: EtcdOperation.leaseKeepAlive.name, after: timeout)
            }
            .flatMapThrowing { response in
                let body = response.body.map { Array($0.readableBytesView) } ?? []
                guard response.status.code == 200 else {
                    let error = Self.serverError(.leaseKeepAlive, status: Int(response.status.code), body: body)
                    if Self.isInvalidToken(error) {
                        // Renewed off the event loop; the next keep-alive carries the new token.
                        if let token { self.discardToken(token) }
                        Task { _ = try? await self.authorization(at: endpoint) }
                    }
                    throw error
                }
                return try Self.keepAliveTTL(body, lease: id)
            }
    }
}
