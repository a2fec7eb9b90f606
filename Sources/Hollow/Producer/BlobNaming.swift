/// Names of a version's blobs: `snapshot-`, `delta-` or `reverse-`, the version (20 digits, so that
/// names sort by version) and the state id. The state id keeps two producers that wrote blobs for
/// the same version (a deposed leader and its successor) from replacing each other's blobs.
enum BlobNaming {
    static func snapshot(version: UInt64, stateID: UInt64) -> BlobName { name("snapshot", version, stateID) }
    static func delta(version: UInt64, stateID: UInt64) -> BlobName { name("delta", version, stateID) }
    static func reverseDelta(version: UInt64, stateID: UInt64) -> BlobName { name("reverse", version, stateID) }

    /// The version a blob of the producer's belongs to, or nil for another name.
    static func version(of name: BlobName) -> UInt64? {
        let parts = name.text.split(separator: "-")
        guard parts.count == 3, ["snapshot", "delta", "reverse"].contains(parts[0]), parts[1].count == 20 else { return nil }
        return UInt64(parts[1])
    }

    private static func name(_ kind: String, _ version: UInt64, _ stateID: UInt64) -> BlobName {
        let digits = String(version)
        let hex = String(stateID, radix: 16)
        // Only digits, letters and '-': always a valid name.
        return try! BlobName("\(kind)-\(String(repeating: "0", count: 20 - digits.count))\(digits)-\(String(repeating: "0", count: 16 - hex.count))\(hex)")
    }
}
