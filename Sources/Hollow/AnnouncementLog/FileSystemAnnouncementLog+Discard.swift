import Foundation
import SystemPackage

extension FileSystemAnnouncementLog {
    /// Rewrites the log without the announcements below `version` (nor the pins and unpins before
    /// them), under the file's lock: the kept lines go to a new file that replaces the log whole
    /// (as `repair()` does), so a reader sees the old log or the new one, and an append waiting for
    /// the lock goes to the new file. The latest announcement, a pinned version and everything
    /// after a pin stay.
    public func discardAnnouncements(before version: UInt64) async throws(AnnouncementLogError) {
        var created = false
        let file = try openLocked(created: &created)
        defer { file.unlock() }
        let history = try readHistory(file)
        var cutoff = version
        if let latest = history.latest?.version { cutoff = min(cutoff, latest) }
        if let pinned = history.pinnedVersion { cutoff = min(cutoff, pinned) }
        let kept = history.announcements.filter { $0.version >= cutoff }
        guard kept.count < history.announcements.count else { return }

        var text: [UInt8] = []
        do {
            for announcement in kept {
                text += try Self.encode(LogLine(kind: .announce, announcement: announcement, version: nil))
                text.append(UInt8(ascii: "\n"))
            }
            if let pinned = history.pinnedVersion {
                text += try Self.encode(LogLine(kind: .pin, announcement: nil, version: pinned))
                text.append(UInt8(ascii: "\n"))
            }
        } catch {
            throw .io(operation: "encode", path: path, message: "\(error)")
        }
        do {
            let status = try file.status()
            try directory.replaceDurably(LocalDirectory.name(of: path), with: text, permissions: status.permissions,
                                         owner: (status.userID, status.groupID))
        } catch {
            throw .init(error)
        }
    }
}
