import AsyncHTTPClient
import NIOCore

extension EtcdClient {
    /// Watches `key`, or the keys from `key` up to `rangeEnd` (excluded), from `startRevision`
    /// (nil: changes after the watch is in place). See `EtcdWatch`.
    package func watch(key: [UInt8], rangeEnd: [UInt8]? = nil, startRevision: Int64? = nil) -> EtcdWatch {
        EtcdWatch(client: self, key: key, rangeEnd: rangeEnd, startRevision: startRevision)
    }

    /// Starts a watch stream on the first endpoint that takes it (a watch is safe to repeat).
    func openWatch(key: [UInt8], rangeEnd: [UInt8]?,
                   startRevision: Int64?) async throws(EtcdError) -> (HTTPClientResponse.Body.AsyncIterator, String) {
        let body = EtcdJSON.encode(WireWatchRequest(key: key, rangeEnd: rangeEnd, startRevision: startRevision))
        var failures: [AttemptFailure] = []
        var pause = configuration.initialBackoff
        for attempt in 0..<configuration.attempts {
            try await backOff(before: attempt, pause: &pause)
            let endpoint = endpoints[(preferredEndpointIndex.withLock { $0 } + attempt) % endpoints.count]
            do {
                let response = try await watchHTTP.execute(Self.request(.watch, body, endpoint: endpoint), timeout: Self.timeAmount(configuration.requestTimeout), logger: logger)
                guard response.status.code == 200 else {
                    let bytes = (try? await Self.collect(response.body, upTo: 1 << 16, within: configuration.requestTimeout)) ?? ByteBuffer()
                    throw Self.serverError(.watch, status: Int(response.status.code), body: Array(bytes.readableBytesView))
                }
                return (response.body.makeAsyncIterator(), endpoint)
            } catch let error as EtcdError {
                throw error
            } catch {
                let failure = AttemptFailure.classify(error)
                if failure == .cancelled { throw .cancelled }
                failures.append(failure)
            }
        }
        throw exhausted(.watch, failures: failures, endpoints: endpoints)
    }
}
