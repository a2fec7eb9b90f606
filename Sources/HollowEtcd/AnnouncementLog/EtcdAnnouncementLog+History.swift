import Hollow

extension EtcdAnnouncementLog {
    /// How many announcements one range read asks for: a long log is read in pages.
    static let pageSize: Int64 = 500

    /// Every announcement still in etcd (those already read come from the cache; only later keys
    /// are read) and the pin, as of one revision of etcd. Announcements removed by `compact`
    /// leave the history: it starts later. A read whose revision was compacted away meanwhile
    /// starts again at the current one.
    public func history() async throws(AnnouncementLogError) -> AnnouncementHistory {
        try await readHistory(restartsLeft: 1)
    }

    private func readHistory(restartsLeft: Int) async throws(AnnouncementLogError) -> AnnouncementHistory {
        var read = cache.announcements.withLock { $0 }
        var revision: Int64?
        do {
            // Announcements compacted away leave the cache too: when etcd no longer has every
            // cached key (one count of them), the history is read again from the start.
            if let lastKey = read.lastKey {
                let cached = try await client.range(key: keys.announcements, rangeEnd: lastKey + [0], limit: 1, keysOnly: true)
                revision = cached.header.revision
                if cached.count != Int64(read.list.count) { read = .init() }
            }
            while true {
                let start = read.lastKey.map { $0 + [0] } ?? keys.announcements
                let page = try await client.range(key: start, rangeEnd: keys.announcementsEnd, revision: revision, limit: Self.pageSize)
                revision = revision ?? page.header.revision
                for kv in page.kvs {
                    let announcement = try Self.decodeInOrder(kv, after: read.list.last, keys: keys)
                    read.list.append(announcement)
                    read.lastKey = kv.key
                }
                if !page.more || page.kvs.isEmpty { break }
            }
            let pin = try await client.range(key: keys.pin, revision: revision)
            cache.extend(with: read)
            return AnnouncementHistory(announcements: read.list, pinnedVersion: try pin.kvs.first.map(Self.version(in:)))
        } catch let error as AnnouncementLogError {
            throw error
        } catch EtcdError.compacted where restartsLeft > 0 {
            // `compact` ran while the pages were read: read again at the current revision.
            return try await readHistory(restartsLeft: restartsLeft - 1)
        } catch let error as EtcdError {
            throw unavailable(error)
        } catch {
            throw .unavailable("\(error)")
        }
    }

    /// An announcement read after `previous`: its version must be above.
    private static func decodeInOrder(_ kv: EtcdKeyValue, after previous: Announcement?,
                                      keys: AnnouncementKeys) throws(AnnouncementLogError) -> Announcement {
        let announcement = try decode(kv, keys: keys)
        if let previous, announcement.version <= previous.version {
            throw .corrupt(path: AnnouncementKeys.text(kv.key), line: 0,
                           message: "version \(announcement.version) after version \(previous.version)")
        }
        return announcement
    }
}
