import AsyncHTTPClient
import NIOCore

/// The answers of one etcd watch, in order: first the confirmation that the watch is in place
/// (`created`), then batches of events. Nothing is sent until the first `next()`. The stream is
/// one streamed HTTP answer (a JSON object per line); it ends with an error when it is cut or
/// etcd cancels it (`compacted` when the start revision is gone). Cancelling the task that reads
/// it, or dropping the iterator, closes the HTTP stream.
public struct EtcdWatch: AsyncSequence, Sendable {
    public typealias Element = EtcdWatchBatch
    public typealias Failure = EtcdError

    let client: EtcdClient
    let key: [UInt8]
    let rangeEnd: [UInt8]?
    let startRevision: Int64?

    public func makeAsyncIterator() -> Iterator {
        Iterator(watch: self)
    }

    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = EtcdWatchBatch
        public typealias Failure = EtcdError

        private let watch: EtcdWatch
        private var body: HTTPClientResponse.Body.AsyncIterator?
        private var endpoint = ""
        private var lines = LineSplitter()
        private var finished = false

        init(watch: EtcdWatch) { self.watch = watch }

        public mutating func next() async throws(EtcdError) -> EtcdWatchBatch? {
            guard !finished else { return nil }
            do throws(EtcdError) {
                if body == nil {
                    (body, endpoint) = try await watch.client.openWatch(key: watch.key, rangeEnd: watch.rangeEnd, startRevision: watch.startRevision)
                }
                while true {
                    if let line = try lines.nextLine(limit: watch.client.configuration.maximumResponseBytes) {
                        guard !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) else { continue }
                        return try Self.batch(line)
                    }
                    let chunk: ByteBuffer?
                    do { chunk = try await body!.next() } catch {
                        if Task.isCancelled { throw EtcdError.cancelled }
                        throw EtcdError.disconnected(endpoint: endpoint, reason: AttemptFailure.classify(error).reason)
                    }
                    guard let chunk else {
                        if Task.isCancelled { throw EtcdError.cancelled }
                        throw EtcdError.disconnected(endpoint: endpoint, reason: "the stream ended")
                    }
                    lines.append(chunk.readableBytesView)
                }
            } catch {
                finished = true
                body = nil  // closes the HTTP stream
                throw error
            }
        }

        static func batch(_ line: [UInt8]) throws(EtcdError) -> EtcdWatchBatch {
            let place = "watch response"
            let wire = try EtcdJSON.decode(WireStreamLine<WireWatchResponse>.self, from: line, place: place)
            if let error = wire.error {
                throw .server(operation: "watch", code: error.grpcCode ?? 2, message: error.message ?? "unknown error")
            }
            guard let result = wire.result else { throw .malformedResponse(what: "neither a result nor an error", where: place) }
            if result.canceled == true {
                let compacted = result.compactRevision.orZero
                if compacted > 0 { throw .compacted(revision: compacted) }
                throw .server(operation: "watch", code: 1, message: result.cancelReason ?? "etcd cancelled the watch")
            }
            return try EtcdJSON.watchBatch(result, place: place)
        }
    }
}

extension EtcdClient {
    /// Watches `key`, or the keys from `key` up to `rangeEnd` (excluded), from `startRevision`
    /// (nil: changes after the watch is in place). See `EtcdWatch`.
    public func watch(key: [UInt8], rangeEnd: [UInt8]? = nil, startRevision: Int64? = nil) -> EtcdWatch {
        EtcdWatch(client: self, key: key, rangeEnd: rangeEnd, startRevision: startRevision)
    }

    /// Starts a watch stream on the first endpoint that takes it (a watch is safe to repeat).
    func openWatch(key: [UInt8], rangeEnd: [UInt8]?,
                   startRevision: Int64?) async throws(EtcdError) -> (HTTPClientResponse.Body.AsyncIterator, String) {
        let body = EtcdRequestJSON.encode(EtcdRequestJSON.watch(key: key, rangeEnd: rangeEnd, startRevision: startRevision))
        var failures: [AttemptFailure] = []
        var pause = configuration.initialBackoff
        for attempt in 0..<configuration.attempts {
            if attempt > 0 {
                do { try await Task.sleep(for: pause) } catch { throw .cancelled }
                pause *= 2
            }
            let endpoint = endpoints[(preferredEndpointIndex.withLock { $0 } + attempt) % endpoints.count]
            var request = HTTPClientRequest(url: endpoint + EtcdOperation.watch.path)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
            do {
                let response = try await watchHTTP.execute(request, timeout: Self.timeAmount(configuration.requestTimeout), logger: logger)
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
        if failures.allSatisfy({ if case .notSent = $0 { true } else { false } }) {
            throw .unreachable(endpoints: endpoints, reason: "\(failures.last?.reason ?? "no connection") (\(failures.count) attempts)")
        }
        throw .timeout(operation: EtcdOperation.watch.name, after: configuration.requestTimeout)
    }
}
