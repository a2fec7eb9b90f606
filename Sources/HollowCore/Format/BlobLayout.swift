/// Constants of the native blob format (HollowCore.docc/BlobFormat.md).
enum BlobLayout {
    /// "HOLW" followed by the format version.
    static let magic: [UInt8] = Array("HOLW".utf8)
    /// The version written. Version 2 added the `changedSharing` section, version 3 the coding
    /// of string and bytes pools (a byte after each such pool's shape, and a symbol table),
    /// version 4 the dictionaries of repeated values; a reader reads 1 to 4. A writer writes the
    /// oldest version that holds what it writes (see `BlobWriter.write`).
    static let formatVersion: UInt16 = 4
    static let readableVersions: ClosedRange<UInt16> = 1...4
    /// The first version whose byte pools say how they are coded.
    static let codedPoolsVersion: UInt16 = 3
    /// The first version whose byte pools may be coded by a dictionary.
    static let dictionaryVersion: UInt16 = 4

    /// How a string or bytes pool is coded (version 3).
    enum PoolCoding: UInt8 {
        /// The values as they are.
        case plain = 0
        /// Coded with the symbol table that follows (`SymbolTable.write(to:)`).
        case symbols = 1
        /// Coded with the table of the state the delta applies to (a delta's added records only).
        case originSymbols = 2
        /// Coded by a dictionary (version 4): the pool is empty, its records' column holds
        /// entries, and the dictionary follows as a `full` section's body of a one-field type.
        case dictionary = 3
        /// Coded by the dictionary of the state the delta applies to, changed by the entries
        /// removed and added that follow as a `changedSharing` section's body (a delta's added
        /// records only, version 4).
        case dictionaryChange = 4
        /// Coded by the dictionary of the type's first shard, which comes before (a state image's
        /// later shards only).
        case firstShardDictionary = 5
    }

    enum SectionKind: UInt8 {
        /// The whole type: every ordinal, the populated bits, the records and pools.
        case full = 1
        /// Removed and added ordinals, and the added records.
        case changed = 2
        /// The type is not in the destination state.
        case removed = 3
        /// Like `changed`, with ordinals as varint gaps and the runs that added records take from
        /// removed ones (version 2).
        case changedSharing = 4
    }

    /// Limits that keep a hostile blob from asking for absurd structures, and that a schema the
    /// writer accepts always meets: a delta has a section per type of either schema.
    static let maximumSchemaBytes = Schema.maximumTextBytes
    static let maximumSections = 2 * Schema.maximumTypes
}

/// Appends little-endian values to a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []
    /// Whether storage (`storage(_:)`) starts at a multiple of 8 bytes and is followed by
    /// `storagePadding` zero bytes: a state image, whose storage is read in place.
    var alignsStorage = false
    /// Where the bytes go when they are streamed (a state image written to a file): `bytes`
    /// then holds only what was not flushed, and a large storage goes to the sink as it lies,
    /// never copied. The sink answers false when it failed; nothing more is given to it then.
    var sink: ((UnsafeRawBufferPointer) -> Bool)?
    /// The storages written so far, in order, when recording (a blob the writer reads back
    /// compares them with what it reads: see `WrittenStorages`).
    var written: [BitStorage]?
    /// Bytes given to the sink so far, and whether it failed.
    private(set) var flushed = 0
    private(set) var sinkFailed = false

    /// The zero bytes after a storage in a state image: the two padding words a `BitStorage`
    /// reads past its end, and a word kept zero (where an owned storage keeps its frozen flag
    /// in debug builds; a mapped one has none).
    static let storagePadding = 24

    /// Bytes written so far, flushed or not: where the next byte lands.
    var position: Int { flushed + bytes.count }

    /// Gives the buffered bytes to the sink, if there is one.
    mutating func flush() {
        guard let sink, !bytes.isEmpty else { return }
        if !sinkFailed { sinkFailed = !bytes.withUnsafeBytes(sink) }
        flushed += bytes.count
        bytes.removeAll(keepingCapacity: true)
    }

    /// Appends the words of `storage`, noting it when recording.
    mutating func storage(_ storage: BitStorage) {
        written?.append(storage)
        self.storage(storage.bytes)
    }

    /// Appends the words of a storage: as they are in a blob; aligned and padded in an image.
    /// With a sink, a large storage goes to it as it lies.
    mutating func storage(_ data: UnsafeRawBufferPointer) {
        if alignsStorage { bytes.append(contentsOf: repeatElement(0, count: (8 - position & 7) & 7)) }
        if let sink, data.count >= 1 << 16 {
            flush()
            if !sinkFailed { sinkFailed = !sink(data) }
            flushed += data.count
        } else {
            bytes.append(contentsOf: data)
        }
        // Whole words, as a reader views them.
        if alignsStorage { bytes.append(contentsOf: repeatElement(0, count: ((8 - data.count & 7) & 7) + ByteWriter.storagePadding)) }
        if bytes.count >= 1 << 20 { flush() }
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func raw(_ data: UnsafeRawBufferPointer) { bytes.append(contentsOf: data) }
    mutating func varint(_ value: UInt64) { Varint.append(value, to: &bytes) }

    mutating func string16(_ text: String) {
        let utf8 = Array(text.utf8)
        u16(UInt16(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}

/// Reads little-endian values from the content of an LZ4 frame, checking each length against what
/// the frame still holds before allocating anything for it.
struct ByteReader {
    let content: BlobContent
    /// Whether storage is aligned and padded, in place (a mapped state image).
    var alignsStorage = false
    /// Whether the records' values are checked (not in an image opened unchecked): counts the
    /// content carries are then checked against what they count.
    var checksValues = true
    /// When a writer reads its own blob back: the storages it wrote, compared with what is read
    /// and kept instead of a copy.
    var written: WrittenStorages?

    var offset: Int { content.produced }

    private func fixed<T: FixedWidthInteger>(_: T.Type) throws(BlobError) -> T {
        var value = T.zero
        try withUnsafeMutableBytes(of: &value) { (buffer) throws(BlobError) in try content.read(into: buffer) }
        return T(littleEndian: value)
    }

    func u8() throws(BlobError) -> UInt8 { try fixed(UInt8.self) }
    func u16() throws(BlobError) -> UInt16 { try fixed(UInt16.self) }
    func u32() throws(BlobError) -> UInt32 { try fixed(UInt32.self) }
    func u64() throws(BlobError) -> UInt64 { try fixed(UInt64.self) }

    /// Reads a count that must not exceed `limit`, naming `what` in the error.
    func count(_ what: String, limit: Int) throws(BlobError) -> Int {
        let at = offset
        let value = try u64()
        guard value <= UInt64(limit) else { throw .corrupt("\(what) \(value) at offset \(at) exceeds \(limit)") }
        return Int(value)
    }

    /// Reads an unsigned LEB128 integer of at most 10 bytes that must not exceed `limit`.
    func varint(_ what: String, limit: Int) throws(BlobError) -> Int {
        let at = offset
        var value: UInt64 = 0
        for index in 0..<10 {
            let byte = try u8()
            let bits = UInt64(byte & 0x7F)
            guard index < 9 || bits <= 1 else { throw .corrupt("\(what) at offset \(at): a varint past 64 bits") }
            value |= bits << UInt64(7 * index)
            if byte < 0x80 {
                guard limit >= 0, value <= UInt64(limit) else { throw .corrupt("\(what) \(value) at offset \(at) exceeds \(limit)") }
                return Int(value)
            }
        }
        throw .corrupt("\(what) at offset \(at): a varint longer than 10 bytes")
    }

    /// Skips `count` bytes, which must be zero.
    func zeros(_ count: Int, _ what: String) throws(BlobError) {
        let at = offset
        for _ in 0..<count {
            guard try u8() == 0 else { throw .corrupt("\(what) at offset \(at) is not zero") }
        }
    }

    func bytes(_ count: Int, _ what: String) throws(BlobError) -> [UInt8] {
        guard count <= content.remaining else {
            throw .truncated("\(what) of \(count) bytes at offset \(offset), \(content.remaining) left")
        }
        var data = [UInt8](repeating: 0, count: count)
        try data.withUnsafeMutableBytesTyped { (buffer) throws(BlobError) in try content.read(into: buffer) }
        return data
    }

    func string16(_ what: String) throws(BlobError) -> String {
        let length = Int(try u16())
        let data = try bytes(length, what)
        guard let text = String(validating: data, as: UTF8.self) else { throw .corrupt("\(what) at offset \(offset - length) is not UTF-8") }
        return text
    }

    /// Decompresses `bitCount` bits (rounded up to whole words) straight into new storage; in a
    /// mapped state image, views them in place (see `ByteWriter.storage(_:)` for their alignment
    /// and padding, which are checked here).
    func storage(bitCount: Int, _ what: String) throws(BlobError) -> BitStorage {
        let bytes = ((bitCount + 63) >> 6) << 3
        if alignsStorage {
            try zeros((8 - offset & 7) & 7, "\(what): alignment")
            guard bytes <= content.remaining else {
                throw .truncated("\(what) of \(bytes) bytes at offset \(offset), \(content.remaining) left")
            }
            let view = try content.view(bytes)!
            try zeros(ByteWriter.storagePadding, "\(what): padding")
            return BitStorage(mappedAt: view.bytes, byteCount: bytes, in: view.file)
        }
        guard bytes <= content.remaining else {
            throw .truncated("\(what) of \(bytes) bytes at offset \(offset), \(content.remaining) left")
        }
        if let written { return try written.next(byteCount: bytes, from: content, what) }
        let storage = BitStorage(bitCount: bitCount, zeroed: false)
        try content.read(into: UnsafeMutableRawBufferPointer(start: storage.handle.base, count: bytes))
        return storage
    }
}
