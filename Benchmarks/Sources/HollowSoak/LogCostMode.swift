import Foundation
import Hollow

/// `log-cost`: what the file announcement log of a soak costs a reader: heap held by the parsed
/// history per announcement, and the time of a `history()` that finds one new line (what a
/// consumer pays per refresh and a producer per cycle) against one that finds none (medians of
/// five). Works on a copy of the log, so the store is left alone.
struct LogCostMode {
    let storeDirectory: String

    init(_ arguments: SoakArguments) throws {
        storeDirectory = try arguments.string("store")
    }

    struct Summary: Encodable {
        var mode = "log-cost"
        var announcements = 0
        var logBytes = 0
        var heapBytesHeldByHistory = 0
        var heapBytesPerAnnouncement = 0
        var microsecondsOfHistoryWithOneNewLine = 0.0
        var microsecondsOfHistoryWithNothingNew = 0.0
    }

    func run() async throws -> Summary {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: storeDirectory + "/announcements.jsonl")))
        var lineStarts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") && offset + 1 < bytes.count { lineStarts.append(offset + 1) }
        // The last lines are held back and appended one at a time, each followed by a read.
        let heldBack = min(5, lineStarts.count - 1)
        guard heldBack >= 1 else { throw SoakError("the log has fewer than two lines") }
        let copy = NSTemporaryDirectory() + "hollow-soak-log-cost-\(getpid())"
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let path = copy + "/announcements.jsonl"
        let firstHeldBack = lineStarts[lineStarts.count - heldBack]
        try Data(bytes[..<firstHeldBack]).write(to: URL(fileURLWithPath: path))

        var summary = Summary(logBytes: bytes.count)
        let log = try FileSystemAnnouncementLog(file: path)
        let before = SoakOutput.heapInUse()
        let history = try await log.history()
        summary.heapBytesHeldByHistory = SoakOutput.heapInUse() - before
        summary.announcements = history.announcements.count
        summary.heapBytesPerAnnouncement = summary.heapBytesHeldByHistory / max(1, history.announcements.count)
        // Dropped, as a consumer drops it after a refresh.
        _ = consume history

        let clock = ContinuousClock()
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var withNewLine: [Double] = [], unchanged: [Double] = []
        for index in (lineStarts.count - heldBack)..<lineStarts.count {
            let end = index + 1 < lineStarts.count ? lineStarts[index + 1] : bytes.count
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(bytes[lineStarts[index]..<end]))
            withNewLine.append(try await clock.measure { _ = try await log.history() }.milliseconds * 1000)
            unchanged.append(try await clock.measure { _ = try await log.history() }.milliseconds * 1000)
        }
        summary.microsecondsOfHistoryWithOneNewLine = withNewLine.sorted()[withNewLine.count / 2].rounded()
        summary.microsecondsOfHistoryWithNothingNew = unchanged.sorted()[unchanged.count / 2].rounded()
        return summary
    }
}
