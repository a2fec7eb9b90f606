import AsyncHTTPClient
import NIOCore

/// The answers of one etcd watch, in order: first the confirmation that the watch is in place
/// (`created`), then batches of events. Nothing is sent until the first `next()`. The stream is
/// one streamed HTTP answer (a JSON object per line); it ends with an error when it is cut or
/// etcd cancels it (`compacted` when the start revision is gone). Cancelling the task that reads
/// it, or dropping the iterator, closes the HTTP stream.
package struct EtcdWatch: AsyncSequence, Sendable {
    package typealias Element = EtcdWatchBatch
    package typealias Failure = EtcdError

    let client: EtcdClient
    let key: [UInt8]
    let rangeEnd: [UInt8]?
    let startRevision: Int64?

    package func makeAsyncIterator() -> Iterator {
        Iterator(watch: self)
    }

    package struct Iterator: AsyncIteratorProtocol {
        package typealias Element = EtcdWatchBatch
        package typealias Failure = EtcdError

        private let watch: EtcdWatch
        private var body: HTTPClientResponse.Body.AsyncIterator?
        private var endpoint = ""
        private var token: String?
        private var lines = LineSplitter()
        private var finished = false

        init(watch: EtcdWatch) { self.watch = watch }

        package mutating func next() async throws(EtcdError) -> EtcdWatchBatch? {
            guard !finished else { return nil }
            do throws(EtcdError) {
                if body == nil {
                    (body, endpoint, token) = try await watch.client.openWatch(key: watch.key, rangeEnd: watch.rangeEnd, startRevision: watch.startRevision)
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
                // The next watch asks for a new token.
                if let token, EtcdClient.isInvalidToken(error) { watch.client.discardToken(token) }
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
                let reason = result.cancelReason ?? ""
                if reason.contains("Unauthenticated") || reason.contains("invalid auth token") {
                    throw .server(operation: "watch", code: 16, message: reason)
                }
                throw .server(operation: "watch", code: 1, message: result.cancelReason ?? "etcd cancelled the watch")
            }
            return try EtcdJSON.watchBatch(result, place: place)
        }
    }
}
