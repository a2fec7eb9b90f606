import Foundation
import SystemPackage

/// What `FileSystemAnnouncementLog.repair()` did.
public struct LogRepair: Sendable, Equatable {
    /// A line that was set aside, by its number in the log before the repair, with why.
    public struct SetAsideLine: Sendable, Equatable {
        public var line: Int
        public var reason: String
    }

    /// Lines kept, in their order.
    public var keptLines: Int
    public var setAside: [SetAsideLine]
    /// The file that now holds the lines set aside, byte for byte (nil when nothing was damaged).
    public var damagedLinesFile: String?
}

// Repair: a log with a damaged line in the middle cannot be read past it. The repair keeps every
// line that reads where it stands and moves the others to a file beside the log, so that nothing is
// lost and the operator can look at them.
extension FileSystemAnnouncementLog {
    /// Sets the damaged lines of the log aside and keeps every good one.
    ///
    /// Runs under the log's lock, so appends wait for it; the new log replaces the old one in one
    /// rename (a reader sees one or the other), and an append that was waiting on the old file
    /// reopens the new one. An announcement that was set aside is a version consumers never see:
    /// they reach the next one by its snapshot (or the nearest one before it).
    public func repair() async throws(AnnouncementLogError) -> LogRepair {
        guard FileManager.default.fileExists(atPath: path) else { return LogRepair(keptLines: 0, setAside: [], damagedLinesFile: nil) }
        var created = false
        let file = try openLocked(created: &created)
        defer { file.unlock() }
        let bytes: [UInt8]
        let permissions: FilePermissions
        let owner: (user: UserID, group: GroupID)
        do {
            bytes = try file.read(from: 0)
            let status = try file.status()
            permissions = status.permissions
            owner = (status.userID, status.groupID)
        } catch {
            throw .init(error)
        }

        let decoder = JSONDecoder()
        var history = AnnouncementHistory()
        var kept: [UInt8] = [], aside: [UInt8] = []
        var keptLines = 0
        var setAside: [LogRepair.SetAsideLine] = []
        var start = 0, number = 0
        while start < bytes.count {
            number += 1
            let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n"))
            let end = newline ?? bytes.count
            let next = newline.map { $0 + 1 } ?? bytes.count
            if newline == nil {
                setAside.append(.init(line: number, reason: "an unfinished last line (an append cut short)"))
                aside += bytes[start..<end] + [UInt8(ascii: "\n")]
            } else {
                switch Self.entry(bytes[start..<end], after: history, decoder: decoder) {
                case .success(let line):
                    line.apply(to: &history)
                    kept += bytes[start..<next]
                    keptLines += 1
                case .failure(let damage):
                    setAside.append(.init(line: number, reason: damage.reason))
                    aside += bytes[start..<next]
                }
            }
            start = next
        }
        guard !setAside.isEmpty else { return LogRepair(keptLines: keptLines, setAside: [], damagedLinesFile: nil) }

        let name = LocalDirectory.name(of: path)
        let asideName = "\(name).damaged-\(LeaseFile.nowMilliseconds())"
        do {
            try directory.replaceDurably(asideName, with: aside)
            // The producer that appends to it keeps its rights: same mode, same owner (a repair by
            // another user that cannot give the file back fails here, and leaves the log as it was).
            try directory.replaceDurably(name, with: kept, permissions: permissions, owner: owner)
        } catch {
            throw .init(error)
        }
        return LogRepair(keptLines: keptLines, setAside: setAside, damagedLinesFile: directory.appending(asideName))
    }
}
