import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The announcement log as a file of JSON lines, one per announcement, pin or unpin: the embedded
/// default, for producers and consumers on one host or a shared volume.
///
/// Appends take an exclusive `flock` on the file (producers of one host serialise there), write one
/// whole line and `fsync` before returning. Readers take no lock and read complete lines only: a
/// last line without its newline (an append cut short by a crash) is ignored, and the next append
/// cuts it off before writing. The calls block their thread for the duration of the file I/O.
public struct FileSystemAnnouncementLog: AnnouncementLog {
    public let path: String

    /// The log in `file`; the file is created by the first append. Its directory must exist.
    public init(file: String) throws(AnnouncementLogError) {
        let directory = (file as NSString).deletingLastPathComponent
        var info = stat()
        guard stat(directory.isEmpty ? "." : directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw .unavailable("\(directory) is not a directory")
        }
        path = file
    }

    public func history() async throws(AnnouncementLogError) -> AnnouncementHistory {
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else {
            if errno == ENOENT { return AnnouncementHistory() }
            throw Self.ioError("open", path)
        }
        defer { close(file) }
        return try Self.parse(try Self.readAll(file, path: path), path: path).history
    }

    public func append(_ announcement: Announcement) async throws(AnnouncementLogError) {
        try appendLine(LogLine(kind: .announce, announcement: announcement, version: nil)) { history throws(AnnouncementLogError) in
            if let last = history.latest?.version, announcement.version <= last {
                throw .versionNotIncreasing(version: announcement.version, last: last)
            }
        }
    }

    public func pin(_ version: UInt64) async throws(AnnouncementLogError) {
        try appendLine(LogLine(kind: .pin, announcement: nil, version: version)) { history throws(AnnouncementLogError) in
            guard history.announcement(of: version) != nil else { throw .unknownVersion(version) }
        }
    }

    public func unpin() async throws(AnnouncementLogError) {
        try appendLine(LogLine(kind: .unpin, announcement: nil, version: nil)) { _ throws(AnnouncementLogError) in }
    }

    /// Under the file lock: reads the log, lets `check` refuse, cuts off a torn last line, appends
    /// `line` and flushes.
    private func appendLine(_ line: LogLine, check: (AnnouncementHistory) throws(AnnouncementLogError) -> Void) throws(AnnouncementLogError) {
        let file = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard file >= 0 else { throw Self.ioError("open", path) }
        defer { close(file) }
        while flock(file, LOCK_EX) != 0 {
            guard errno == EINTR else { throw Self.ioError("lock", path) }
        }
        defer { flock(file, LOCK_UN) }
        let bytes = try Self.readAll(file, path: path)
        let parsed = try Self.parse(bytes, path: path)
        try check(parsed.history)
        if parsed.completeLength < bytes.count {
            guard ftruncate(file, off_t(parsed.completeLength)) == 0 else { throw Self.ioError("truncate", path) }
        }
        var text: [UInt8]
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            text = Array(try encoder.encode(line))
        } catch {
            throw .io(operation: "encode", path: path, message: "\(error)")
        }
        text.append(UInt8(ascii: "\n"))
        guard lseek(file, off_t(parsed.completeLength), SEEK_SET) >= 0 else { throw Self.ioError("seek", path) }
        var done = 0
        while done < text.count {
            let count = text.withUnsafeBytes { write(file, $0.baseAddress! + done, text.count - done) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw Self.ioError("write", path) }
            done += count
        }
        guard fsync(file) == 0 else { throw Self.ioError("fsync", path) }
    }

    struct LogLine: Codable {
        enum Kind: String, Codable { case announce, pin, unpin }
        var kind: Kind
        var announcement: Announcement?
        var version: UInt64?
    }

    /// The history in `bytes`, and how many bytes make complete lines.
    static func parse(_ bytes: [UInt8], path: String) throws(AnnouncementLogError) -> (history: AnnouncementHistory, completeLength: Int) {
        var history = AnnouncementHistory()
        let decoder = JSONDecoder()
        var start = 0
        var lineNumber = 0
        while let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lineNumber += 1
            let line: LogLine
            do { line = try decoder.decode(LogLine.self, from: Data(bytes[start..<end])) } catch {
                throw .corrupt(path: path, line: lineNumber, message: "not a log entry: \(error)")
            }
            switch line.kind {
            case .announce:
                guard let announcement = line.announcement else {
                    throw .corrupt(path: path, line: lineNumber, message: "an announcement without its content")
                }
                if let last = history.latest?.version, announcement.version <= last {
                    throw .corrupt(path: path, line: lineNumber, message: "version \(announcement.version) after version \(last)")
                }
                history.announcements.append(announcement)
            case .pin:
                guard let version = line.version else { throw .corrupt(path: path, line: lineNumber, message: "a pin without a version") }
                history.pinnedVersion = version
            case .unpin:
                history.pinnedVersion = nil
            }
            start = end + 1
        }
        return (history, start)
    }

    private static func readAll(_ file: Int32, path: String) throws(AnnouncementLogError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(file, $0.baseAddress!, $0.count, offset) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw ioError("read", path) }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            offset += off_t(count)
        }
    }

    private static func ioError(_ operation: String, _ path: String) -> AnnouncementLogError {
        .io(operation: operation, path: path, message: String(cString: strerror(errno)))
    }
}
