import Foundation
import Hollow
import Logging
import Synchronization

/// The announcement log on etcd, for producers and consumers on different hosts (key layout in
/// `AnnouncementKeys` and docs/ETCD.md).
///
/// `append` is one transaction that puts the announcement and `<prefix>/latest` only if the
/// version is above the latest and, when `fenced`, only if `<prefix>/leader` was created at the
/// announcement's term (the leader key of `EtcdLeaderElection` on the same prefix): a deposed
/// leader cannot announce. `watch()` follows etcd's watch stream of the prefix (no polling).
/// etcd's failures are `AnnouncementLogError.unavailable`, saying which etcd and why.
public final class EtcdAnnouncementLog: AnnouncementLog {
    public let prefix: String
    public let fenced: Bool
    let client: EtcdClient
    let logger: Logger
    let keys: AnnouncementKeys
    let cache = AnnouncementCache()
    /// How much of the log this object keeps when it appends (nil: everything).
    public let retention: Retention?
    let appendsSinceCompaction = Mutex(0)

    /// The log under `prefix` on the etcd of `connection`. With `fenced`, appends are refused
    /// unless their term is the current leader's (use the same prefix for the election). With
    /// `retention`, appends compact the log now and then (`compact(keepingLast:)`).
    public init(connection: EtcdConnection, prefix: String, fenced: Bool = true, retention: Retention? = nil,
                logger: Logger = Logger(label: "hollow.etcd.announcements")) {
        self.retention = retention
        var prefix = prefix
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.prefix = prefix
        self.fenced = fenced
        client = connection.client
        var logger = logger
        logger[metadataKey: "log"] = "\(prefix)"
        self.logger = logger
        keys = AnnouncementKeys(prefix: prefix)
    }

    public func pin(_ version: UInt64) async throws(AnnouncementLogError) {
        let response: EtcdTxnResponse
        do {
            response = try await client.txn(compare: [EtcdCompare(keys.announcement(version), .create(0), .greater)],
                                             success: [.put(key: keys.pin, value: AnnouncementKeys.digits(version))])
        } catch {
            throw unavailable(error)
        }
        guard response.succeeded else { throw .unknownVersion(version) }
    }

    public func unpin() async throws(AnnouncementLogError) {
        do { try await client.delete(key: keys.pin) } catch { throw unavailable(error) }
    }

    func unavailable(_ error: EtcdError) -> AnnouncementLogError {
        .unavailable(client.explain(error))
    }

    static func encode(_ announcement: Announcement, key: [UInt8]) throws(AnnouncementLogError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do { return [UInt8](try encoder.encode(announcement)) } catch {
            throw .io(operation: "encode", path: AnnouncementKeys.text(key), message: "\(error)")
        }
    }

    /// An announcement stored under `key`, checked to be the version the key names.
    static func decode(_ kv: EtcdKeyValue, keys: AnnouncementKeys) throws(AnnouncementLogError) -> Announcement {
        let path = AnnouncementKeys.text(kv.key)
        guard let version = keys.version(ofAnnouncementKey: kv.key) else {
            throw .corrupt(path: path, line: 0, message: "not an announcement key (20 digits after the prefix)")
        }
        let announcement: Announcement
        do { announcement = try JSONDecoder().decode(Announcement.self, from: Data(kv.value)) } catch {
            throw .corrupt(path: path, line: 0, message: "not an announcement: \(error)")
        }
        guard announcement.version == version else {
            throw .corrupt(path: path, line: 0, message: "holds version \(announcement.version)")
        }
        return announcement
    }

    /// The version in the `latest` or `pin` key.
    static func version(in kv: EtcdKeyValue) throws(AnnouncementLogError) -> UInt64 {
        guard let version = AnnouncementKeys.version(kv.value) else {
            throw .corrupt(path: AnnouncementKeys.text(kv.key), line: 0,
                           message: "'\(String(decoding: kv.value.prefix(40), as: UTF8.self))' is not a 20-digit version")
        }
        return version
    }
}
