import Hollow
import Logging

extension EtcdAnnouncementLog {
    /// Yields once at once, once when etcd's watch of the prefix is in place (a change made before
    /// could otherwise be missed), then after every batch of events under the prefix. A cut stream
    /// is opened again with backoff from the revision after the last event seen, and yields once;
    /// when that revision was compacted away, the watch starts again from the current revision.
    /// No polling: etcd pushes the events.
    public func watch() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let client = client
        let logger = logger
        let keys = keys
        let task = Task {
            continuation.yield()
            await Self.follow(client: client, keys: keys, logger: logger) { continuation.yield() }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Runs until the task is cancelled, calling `changed` as `watch()` describes.
    static func follow(client: EtcdClient, keys: AnnouncementKeys, logger: Logger, changed: @Sendable () -> Void) async {
        let prefix = Array((keys.prefix + "/").utf8)
        var next: Int64?
        var pause = Duration.milliseconds(100)
        var reconnecting = false
        while !Task.isCancelled {
            do throws(EtcdError) {
                for try await batch in client.watch(key: prefix, rangeEnd: EtcdClient.prefixEnd(prefix), startRevision: next) {
                    pause = .milliseconds(100)
                    if batch.created {
                        // From now on every change comes as an event; what came before may have
                        // been missed unless the watch resumed from a known revision.
                        if next == nil { next = batch.revision + 1 }
                        if reconnecting { logger.info("announcement watch open again") }
                        reconnecting = false
                        changed()
                    } else if let last = batch.events.last {
                        next = last.kv.modRevision + 1
                        changed()
                    }
                }
            } catch .cancelled {
                break
            } catch .compacted(let oldest) {
                logger.info("announcement watch fell behind compaction, starting from the current revision", metadata: ["compacted": "\(oldest)"])
                next = nil
                continue
            } catch {
                if !reconnecting { logger.warning("announcement watch cut, opening it again", metadata: ["error": "\(error)"]) }
                reconnecting = true
            }
            do { try await Task.sleep(for: pause) } catch { break }
            pause = min(pause * 2, .seconds(5))
        }
    }
}
