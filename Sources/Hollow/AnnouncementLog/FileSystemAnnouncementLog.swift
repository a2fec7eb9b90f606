import Foundation
import Synchronization
import SystemPackage

/// The announcement log as a file of JSON lines, one per announcement, pin or unpin: the embedded
/// default, for producers and consumers on one host or a shared volume.
///
/// Appends take an exclusive `flock` on the file (producers of one host serialise there), write one
/// whole line and `fsync` before returning. Readers take no lock and read complete lines only: a
/// last line without its newline (an append cut short by a crash) is ignored, and the next append
/// cuts it off before writing. Lines already read are not parsed again: the log remembers how far
/// it has read (the file only grows by whole lines). `watch()` polls the file's size and change
/// time every `pollInterval`. The calls block their thread for the duration of the file I/O.
///
/// Fenced by a `LeaseFile` (that of the producers' `FileLeaderElection`), an append is refused
/// unless its term is the one of a lease that has not run out; the lease stays locked until the
/// line is durable, so no standby can take over between the check and the write. Before anyone was
/// elected (no lease file), only a `SoleProducer`'s term 0 is accepted.
public struct FileSystemAnnouncementLog: AnnouncementLog {
    public let path: String
    public let pollInterval: Duration
    /// The lease whose current term an announcement must carry (nil: no fencing, one producer).
    public let fence: LeaseFile?
    let directory: LocalDirectory
    private let cache = ParsedPrefix()

    /// The log in `file`; the file is created by the first append. Its directory must exist.
    public init(file: String, fencedBy fence: LeaseFile? = nil, pollInterval: Duration = .milliseconds(100)) throws(AnnouncementLogError) {
        do { directory = try LocalDirectory(LocalDirectory.containing(file)) } catch {
            throw .unavailable("\(LocalDirectory.containing(file)) is not a directory")
        }
        path = file
        self.fence = fence
        self.pollInterval = pollInterval
    }

    public func history() async throws(AnnouncementLogError) -> AnnouncementHistory {
        let opened: LocalFile?
        do { opened = try LocalFile.open(path, .readOnly) } catch { throw .init(error) }
        guard let file = consume opened else { return AnnouncementHistory() }
        return try read(file).history
    }

    public func append(_ announcement: Announcement) async throws(AnnouncementLogError) {
        try appendLine(LogLine(kind: .announce, announcement: announcement, version: nil), fencedTerm: announcement.term) { history throws(AnnouncementLogError) in
            // Terms never go back: a lower one is a deposed leader's, or comes from a lease file
            // that was deleted and started counting again.
            if let last = history.latest, announcement.term < last.term {
                throw .fenced(term: announcement.term, currentTerm: last.term)
            }
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

    public func watch() -> AsyncStream<Void> {
        let path = path
        let interval = pollInterval
        return AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let poller = Task {
                var seen = FileSignature(path: path)
                continuation.yield()
                while !Task.isCancelled {
                    do { try await Task.sleep(for: interval) } catch { break }
                    let now = FileSignature(path: path)
                    if now != seen {
                        seen = now
                        continuation.yield()
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in poller.cancel() }
        }
    }

    /// Under the file lock: reads the log, lets `check` refuse, cuts off a torn last line, appends
    /// `line` and flushes. With a `fencedTerm` and a fence, all that happens under the lease's lock
    /// and only while the lease of that term holds.
    private func appendLine(_ line: LogLine, fencedTerm: UInt64? = nil,
                            check: (AnnouncementHistory) throws(AnnouncementLogError) -> Void) throws(AnnouncementLogError) {
        var created = false
        let file = try openLocked(created: &created)
        defer { file.unlock() }
        guard let fence, let term = fencedTerm else { return try write(line, to: file, created: created, check: check) }
        try fence.whileHeld { (record) throws(AnnouncementLogError) in
            // No lease yet: nobody was ever elected, and only a sole producer (term 0) announces.
            let current = record.map { $0.isValid(atMilliseconds: LeaseFile.nowMilliseconds()) ? $0.term : nil } ?? 0
            guard current == term else { throw .fenced(term: term, currentTerm: current) }
            try write(line, to: file, created: created, check: check)
        }
    }

    /// The log file, created when missing, under its exclusive lock: the file that is at `path`
    /// once the lock is held (a repair replaces the file, and a line appended to the one it
    /// replaced would be lost).
    func openLocked(created: inout Bool) throws(AnnouncementLogError) -> LocalFile {
        for _ in 0..<100 {
            let file = try openAndLock(created: &created)
            if try isAtPath(file) { return file }
        }
        throw .unavailable("\(path) was replaced again and again while an append waited for it")
    }

    private func isAtPath(_ file: borrowing LocalFile) throws(AnnouncementLogError) -> Bool {
        do {
            let open = try file.status()
            guard let current = try? FilePath(path).stat() else { return false }
            return open.deviceID == current.deviceID && open.inode == current.inode
        } catch {
            throw .init(error)
        }
    }

    private func openAndLock(created: inout Bool) throws(AnnouncementLogError) -> LocalFile {
        do {
            if let existing = try LocalFile.open(path, .readWrite) {
                try existing.lock(.exclusive)
                return existing
            }
            let file = try LocalFile.open(path, .readWrite, options: [.create])!
            created = true
            try file.lock(.exclusive)
            return file
        } catch {
            throw .init(error)
        }
    }

    private func write(_ line: LogLine, to file: borrowing LocalFile, created: Bool,
                       check: (AnnouncementHistory) throws(AnnouncementLogError) -> Void) throws(AnnouncementLogError) {
        let parsed = try read(file)
        try check(parsed.history)
        var text: [UInt8]
        do { text = try Self.encode(line) } catch {
            throw .io(operation: "encode", path: path, message: "\(error)")
        }
        text.append(UInt8(ascii: "\n"))
        do {
            if parsed.completeLength < parsed.fileLength { try file.truncate(to: parsed.completeLength) }
            try file.write(text, at: parsed.completeLength)
            try file.sync()
            // The new file's directory entry must survive a crash too.
            if created { try directory.sync() }
        } catch {
            throw .init(error)
        }
    }

    /// One line of the log: an announcement, a pin or an unpin.
    package struct LogLine: Codable, Equatable {
        package enum Kind: String, Codable { case announce, pin, unpin }
        package var kind: Kind
        package var announcement: Announcement?
        package var version: UInt64?

        /// What the line does to the history (checked by `entry(_:after:decoder:)` first).
        package func apply(to history: inout AnnouncementHistory) {
            switch kind {
            case .announce: history.announcements.append(announcement!)
            case .pin: history.pinnedVersion = version
            case .unpin: history.pinnedVersion = nil
            }
        }
    }

    /// Why a complete line of the log cannot be read where it stands.
    package struct LineDamage: Error {
        package var reason: String

        /// A decoding failure in words, without the decoder's dump.
        static func reason(_ error: any Error, text: ArraySlice<UInt8>) -> String {
            func path(_ context: DecodingError.Context) -> String { context.codingPath.map(\.stringValue).joined(separator: ".") }
            switch error as? DecodingError {
            case .dataCorrupted(let context)? where context.codingPath.isEmpty:
                // The decoder says so too of a number that does not fit its field: tell them apart.
                guard (try? JSONSerialization.jsonObject(with: Data(text))) is [String: Any] else { return "not a JSON object" }
                return "a field holds a value it cannot hold (a number out of its range or with a fraction, say)"
            case .dataCorrupted(let context)?:
                return "the field '\(path(context))' holds an invalid value"
            case .keyNotFound(let key, let context)?:
                let parent = path(context)
                return "the field '\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)' is missing"
            case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
                return "the field '\(path(context))' has the wrong type"
            default:
                return "not a log entry"
            }
        }
    }

    /// The history of `file` (open and locked by the caller).
    func readHistory(_ file: borrowing LocalFile) throws(AnnouncementLogError) -> AnnouncementHistory {
        try read(file).history
    }

    /// What the complete lines of the log say, read from where the last read stopped when the
    /// file is the one read before and its read part is unchanged.
    private func read(_ file: borrowing LocalFile) throws(AnnouncementLogError) -> ParsedLog {
        var state: ParsedLog
        let fresh: [UInt8]
        do throws(FileIOError) {
            let info = try file.status()
            let device = UInt64(info.deviceID.rawValue), inode = UInt64(info.inode.rawValue)
            var parsed = cache.state.withLock { $0 }
            if let known = parsed, known.device != device || known.inode != inode || known.completeLength > Int(info.size) {
                parsed = nil
            } else if let known = parsed, known.completeLength > 0 {
                // The last bytes read must still be there, byte for byte.
                let tailStart = max(0, known.completeLength - known.lastLineTail.count)
                if try file.read(from: tailStart, to: known.completeLength) != known.lastLineTail {
                    parsed = nil
                }
            }
            state = parsed ?? ParsedLog(device: device, inode: inode)
            fresh = try file.read(from: state.completeLength)
        } catch {
            throw .init(error)
        }
        let readFrom = state.completeLength
        try Self.parse(fresh, into: &state, path: path)
        state.fileLength = readFrom + fresh.count
        let snapshot = state
        cache.state.withLock { $0 = snapshot }
        return state
    }

    /// Parses the complete lines of `bytes` (which start where `state` stopped) into `state`.
    package static func parse(_ bytes: [UInt8], into state: inout ParsedLog, path: String) throws(AnnouncementLogError) {
        let decoder = JSONDecoder()
        var start = 0
        while let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let lineNumber = state.lineCount + 1
            switch entry(bytes[start..<end], after: state.history, decoder: decoder) {
            case .success(let line): line.apply(to: &state.history)
            case .failure(let damage):
                throw .corrupt(path: path, line: lineNumber, message: damage.reason
                    + "; to keep every good line and set the damaged ones aside: `hollow repair-log --store DIR` (FileSystemAnnouncementLog.repair())")
            }
            state.lineCount = lineNumber
            start = end + 1
        }
        // The last 64 bytes read, across line boundaries: what must still be there next time.
        state.lastLineTail = Array((state.lastLineTail + bytes[max(0, start - 64)..<start]).suffix(64))
        state.completeLength += start
    }

    /// A line's text, without its newline: JSON with sorted keys.
    package static func encode(_ line: LogLine) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(line))
    }

    /// One complete line (without its newline) read after `history`: an entry that fits there, or
    /// why not, in words for an operator.
    package static func entry(_ text: ArraySlice<UInt8>, after history: AnnouncementHistory, decoder: JSONDecoder) -> Result<LogLine, LineDamage> {
        let line: LogLine
        do { line = try decoder.decode(LogLine.self, from: Data(text)) } catch {
            return .failure(LineDamage(reason: LineDamage.reason(error, text: text)))
        }
        switch line.kind {
        case .announce:
            guard let announcement = line.announcement else { return .failure(LineDamage(reason: "an announcement without its content")) }
            if let last = history.latest?.version, announcement.version <= last {
                return .failure(LineDamage(reason: "version \(announcement.version) after version \(last)"))
            }
        case .pin:
            guard line.version != nil else { return .failure(LineDamage(reason: "a pin without a version")) }
        case .unpin:
            break
        }
        return .success(line)
    }
}
