import Logging
import Synchronization

/// A log that keeps everything said to it, for tests that check what a component did on its own
/// (tried again, lost leadership) and for failure messages that say why.
public final class RecordedLog: Sendable {
    public struct Entry: Sendable, CustomStringConvertible {
        public let level: Logger.Level
        public let message: String
        /// The logger's metadata and the event's, the event's winning.
        public let metadata: [String: String]
        /// The `reason` metadata, which most of the library's warnings carry.
        public var reason: String? { metadata["reason"] }
        public var description: String {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return pairs.isEmpty ? "\(level) \(message)" : "\(level) \(message) [\(pairs.joined(separator: " "))]"
        }
    }

    private let entries = Mutex<[Entry]>([])

    public init() {}

    /// What was logged so far, in order.
    public var messages: [Entry] { entries.withLock { $0 } }

    /// A logger at `level` that records into this log.
    public func logger(level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "test.recorded") { _ in Handler(log: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }

    private struct Handler: LogHandler {
        let log: RecordedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            log.append(Entry(level: event.level, message: event.message.description,
                             metadata: merged.mapValues { "\($0)" }))
        }
    }
}
