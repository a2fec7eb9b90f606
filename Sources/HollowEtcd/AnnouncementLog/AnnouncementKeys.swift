/// Where an announcement log keeps its parts under its prefix (docs/ETCD.md):
///
///     <prefix>/announcements/<version, 20 digits>   the announcement as JSON (sorted keys)
///     <prefix>/latest                               the last announced version, 20 digits
///     <prefix>/pin                                  the pinned version, 20 digits
///     <prefix>/leader                               the leader key of EtcdLeaderElection (fencing)
///
/// Versions are zero-padded to 20 digits (UInt64.max has 20) so that key order is version order
/// and a range read returns announcements sorted.
struct AnnouncementKeys: Sendable {
    let prefix: String
    let announcements: [UInt8]
    let announcementsEnd: [UInt8]
    let latest: [UInt8]
    let pin: [UInt8]
    let leader: [UInt8]

    init(prefix: String) {
        self.prefix = prefix
        announcements = Array((prefix + "/announcements/").utf8)
        announcementsEnd = EtcdClient.prefixEnd(announcements)
        latest = Array((prefix + "/latest").utf8)
        pin = Array((prefix + "/pin").utf8)
        leader = Array((prefix + "/leader").utf8)
    }

    func announcement(_ version: UInt64) -> [UInt8] { announcements + Self.digits(version) }

    /// The version an announcement key names, or nil when the key is not one.
    func version(ofAnnouncementKey key: [UInt8]) -> UInt64? {
        guard key.count == announcements.count + 20, key.starts(with: announcements) else { return nil }
        return Self.version(key[announcements.count...])
    }

    static func digits(_ version: UInt64) -> [UInt8] {
        let text = String(version)
        return Array((String(repeating: "0", count: 20 - text.count) + text).utf8)
    }

    /// Exactly 20 ASCII digits that make a UInt64.
    static func version(_ digits: some Collection<UInt8>) -> UInt64? {
        guard digits.count == 20, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return UInt64(String(decoding: digits, as: UTF8.self))
    }

    static func text(_ key: [UInt8]) -> String { String(decoding: key, as: UTF8.self) }
}
