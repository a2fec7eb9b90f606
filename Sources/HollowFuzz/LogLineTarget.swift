import Foundation
import Hollow

/// The file announcement log's line parser. An input is the text of a log file. What the parser
/// promises, checked here:
///
/// - each complete line is an entry that fits after the lines before it (versions rising, a pin
///   with its version, an announcement with its content), or damage, in words;
/// - an entry written again as the log writes it (`FileSystemAnnouncementLog.encode`) reads back
///   as the same entry;
/// - reading the whole file at once (`FileSystemAnnouncementLog.parse`) agrees with reading it
///   line by line: the same history, or a refusal naming the first damaged line.
enum LogLineTarget {
    static func run(_ data: UnsafeRawBufferPointer) -> String {
        let bytes = Array(data)
        let decoder = JSONDecoder()
        var history = AnnouncementHistory()
        var start = 0, lineCount = 0
        var damagedLine: Int?
        while damagedLine == nil, let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            switch FileSystemAnnouncementLog.entry(bytes[start..<end], after: history, decoder: decoder) {
            case .success(let line):
                checkRoundTrip(line, after: history, decoder: decoder)
                line.apply(to: &history)
                lineCount += 1
                start = end + 1
            case .failure:
                damagedLine = lineCount + 1
            }
        }
        var whole = ParsedLog(device: 0, inode: 0)
        do {
            try FileSystemAnnouncementLog.parse(bytes, into: &whole, path: "log")
        } catch {
            guard case .corrupt(_, let line, _) = error, line == damagedLine else {
                fatalError("the whole file was refused with \(error); line by line, \(damagedLine.map { "line \($0) is damaged" } ?? "every line reads")")
            }
            return "line \(line) refused: \(error)"
        }
        guard damagedLine == nil else { fatalError("line \(damagedLine!) is damaged, but the whole file reads") }
        guard whole.history == history, whole.lineCount == lineCount, whole.completeLength == start else {
            fatalError("the whole file reads to \(whole.lineCount) lines, \(whole.completeLength) bytes; line by line \(lineCount) lines, \(start) bytes")
        }
        return "\(lineCount) lines, \(history.announcements.count) announcements, pin \(history.pinnedVersion.map(String.init) ?? "none")"
    }

    private static func checkRoundTrip(_ line: FileSystemAnnouncementLog.LogLine, after history: AnnouncementHistory, decoder: JSONDecoder) {
        let encoded: [UInt8]
        do { encoded = try FileSystemAnnouncementLog.encode(line) } catch { fatalError("an entry read from the log cannot be written: \(error)") }
        guard !encoded.contains(UInt8(ascii: "\n")) else { fatalError("an entry is written across lines: \(String(decoding: encoded, as: UTF8.self))") }
        switch FileSystemAnnouncementLog.entry(encoded[...], after: history, decoder: decoder) {
        case .success(let again):
            guard again == line else { fatalError("an entry written again reads back differently:\n\(line)\n\(again)") }
        case .failure(let damage):
            fatalError("an entry written again is damaged (\(damage.reason)): \(String(decoding: encoded, as: UTF8.self))")
        }
    }
}
