/// A read state and its indexes in one file that a process maps and serves from at once, instead
/// of decompressing a snapshot and building the indexes again: a consumer's instant start after a
/// restart. The state follows deltas as any other: each type a delta changes is built beside the
/// mapped one, and the mapping is let go when no state views it any more.
///
///     let bytes = StateImage.bytes(of: state, primaryKeyIndexes: ["Movie": movies])
///     // ... written durably to `path` ...
///     let image = try StateImage(mapping: path)
///     image.state.objectType("Movie")   // reads from the mapped file
///
/// The file is the snapshot's content uncompressed, each storage aligned to 8 bytes and followed
/// by zero padding, then the indexes' tables (<doc:BlobFormat>, "State images"). Opening it reads
/// the header and the shapes (a few kilobytes); `check` says what else is checked before the
/// state is handed out:
/// - ``Check/structure`` (the default): what a snapshot load checks of the records (every
///   reference, offset and dictionary entry in range), and that each index table is safe to
///   probe (every slot and chain leads to a record, every chain ends), so a damaged file gives an
///   error, never a crash. It reads the whole file once.
/// - ``Check/none``: nothing more, for a file this process wrote and nobody else can write. The
///   pages are read from disk as they are first used; opening costs the same at any size.
///
/// An image holds no checksum of its content: a flipped bit in a value reads as another value,
/// and a damaged index slot may miss its record (the blobs it was made from carry checksums). An
/// index read from an image is rebuilt, not updated, at the first delta that changes its type.
public struct StateImage: Sendable {
    public enum Check: Sendable, Hashable {
        /// Check the records and index tables as a snapshot load checks a blob's.
        case structure
        /// Check the header and shapes only.
        case none
    }

    /// The state, viewing the file's storage in place.
    public let state: ReadState
    /// The primary-key indexes the image holds, by the name they were saved under.
    public let primaryKeyIndexes: [String: PrimaryKeyIndex]
    /// The hash indexes the image holds, by name.
    public let hashIndexes: [String: HashIndex]
    /// The bytes its writer stored beside the state (a consumer's announcement, say).
    public let metadata: [UInt8]

    /// "HOLWIMG" and a zero byte, then the image format version.
    static let magic: [UInt8] = Array("HOLWIMG\0".utf8)
    /// Version 2 carries each type's record count after its populated bits (version 1, written
    /// by this branch before, did not; it is refused, and a consumer loads blobs instead).
    /// Version 3 carries each type in its shards (`TypeShards`), as a consumer holds it.
    static let version: UInt16 = 3
    static let endMagic: [UInt8] = Array("HOLWEND\0".utf8)
    /// Index kinds as the file names them.
    static let primaryKeyKind: UInt8 = 1
    static let hashKind: UInt8 = 2
    /// At most this many indexes, and this many key paths an index.
    static let maximumIndexes = 1 << 12
    static let maximumMetadataBytes = 1 << 24
}
