import AsyncHTTPClient
import NIOCore

extension EtcdClient {
    /// Watches `key`, or the keys from `key` up to `rangeEnd` (excluded), from `startRevision`
    /// (nil: changes after the watch is in place). See `EtcdWatch`.
    package func watch(key: [UInt8], rangeEnd: [UInt8]? = nil, startRevision: Int64? = nil) -> EtcdWatch {
        EtcdWatch(client: self, key: key, rangeEnd: rangeEnd, startRevision: startRevision)
    }

    /// Starts a watch stream on the first endpoint that takes it (a watch is safe to repeat),
    /// moving on from members that cannot be reached; returns the stream, its endpoint and the
    /// auth token it was opened with (nil: none).
    func openWatch(key: [UInt8], rangeEnd: [UInt8]?,
                   startRevision: Int64?) async throws(EtcdError) -> (HTTPClientResponse.Body.AsyncIterator, String, String?) {
        let body = EtcdJSON.encode(WireWatchRequest(key: key, rangeEnd: rangeEnd, startRevision: startRevision))
        var failures: [AttemptFailure] = []
        var pause = configuration.initialBackoff
        let first = preferredEndpointIndex.withLock { $0 }
        for attempt in 0..<max(configuration.attempts, endpoints.count) {
            if attempt % endpoints.count == 0 { try await backOff(before: attempt, pause: &pause) }
            let index = (first + attempt) % endpoints.count
            let endpoint = endpoints[index]
            let token: String?
            switch try await authorization(at: endpoint) {
            case .failure(.cancelled): throw .cancelled
            case .failure(let failure):
                failures.append(failure)
                continue
            case .success(let held): token = held
            }
            do {
                let response = try await watchHTTP.execute(Self.request(.watch, body, endpoint: endpoint, token: token),
                                                           timeout: Self.timeAmount(configuration.requestTimeout), logger: logger)
                guard response.status.code == 200 else {
                    let bytes = (try? await Self.collect(response.body, upTo: 1 << 16, within: configuration.requestTimeout)) ?? ByteBuffer()
                    let error = Self.serverError(.watch, status: Int(response.status.code), body: Array(bytes.readableBytesView))
                    if let token, Self.isInvalidToken(error) { discardToken(token) }
                    throw error
                }
                return (response.body.makeAsyncIterator(), endpoint, token)
            } catch let error as EtcdError {
                throw error
            } catch {
                let failure = AttemptFailure.classify(error)
                if failure == .cancelled { throw .cancelled }
                failures.append(failure)
                moveAway(from: index)
            }
        }
        throw exhausted(.watch, failures: failures, endpoints: endpoints)
    }
}
