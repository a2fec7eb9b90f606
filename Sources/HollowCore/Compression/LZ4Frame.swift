import CLZ4

/// LZ4 frames (the system liblz4) with a content checksum and the content size in the header.
enum LZ4Frame {
    /// The largest ratio of decompressed to compressed size LZ4 can reach is about 255:1; a frame
    /// that claims more is refused before anything is allocated for it.
    static let maximumExpansion = 256

    /// Compresses `source` into one frame: the frame `LZ4FrameWriter` writes when given it at once.
    static func compress(_ source: UnsafeRawBufferPointer, level: Int32 = 1) -> [UInt8] {
        let writer = LZ4FrameWriter(contentSize: source.count, level: level)
        writer.write(source)
        return writer.finish()
    }
}

/// Writes one LZ4 frame from content given in pieces, so that the content is never held whole:
/// a blob's large storages go to the compressor as they lie (`BlobWriter`). The frame holds the
/// content's size in its header and a content checksum, in the smallest blocks that hold it (up to
/// 4 MiB). `LZ4Frame.compress` is this writer given the content at once.
final class LZ4FrameWriter {
    private let context: OpaquePointer
    private var preferences = LZ4F_preferences_t()
    /// The frame so far.
    private var output: [UInt8] = []
    /// Room for the compressor's output of one piece, reused.
    private let scratch: UnsafeMutableRawBufferPointer
    private var given = 0
    private let contentSize: Int
    /// The most content given to the compressor at once, which bounds `scratch`.
    private static let pieceBytes = 1 << 20

    /// A frame of exactly `contentSize` bytes of content, compressed at `level`.
    init(contentSize: Int, level: Int32) {
        var created: OpaquePointer?
        let status = LZ4F_createCompressionContext(&created, UInt32(LZ4F_VERSION))
        // Fails only when out of memory or on a version mismatch of the library: nothing to go on with.
        precondition(LZ4F_isError(status) == 0, "LZ4F_createCompressionContext failed: \(String(cString: LZ4F_getErrorName(status)))")
        context = created!
        self.contentSize = contentSize
        preferences.frameInfo.contentSize = UInt64(contentSize)
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        // The smallest block that holds the content, independent when one does, as
        // `LZ4F_compressFrame` chooses: a reader of a small delta then needs small buffers.
        let blocks: [(id: LZ4F_blockSizeID_t, bytes: Int)] = [(LZ4F_max64KB, 64 << 10), (LZ4F_max256KB, 256 << 10), (LZ4F_max1MB, 1 << 20)]
        let fitting = blocks.first { contentSize <= $0.bytes }
        preferences.frameInfo.blockSizeID = fitting?.id ?? LZ4F_max4MB
        if contentSize <= (fitting?.bytes ?? 4 << 20) { preferences.frameInfo.blockMode = LZ4F_blockIndependent }
        preferences.compressionLevel = level
        let room = Swift.max(LZ4F_compressBound(Self.pieceBytes, &preferences), Int(LZ4F_HEADER_SIZE_MAX))
        scratch = .allocate(byteCount: room, alignment: 8)
        output.reserveCapacity(Swift.min(contentSize / 2, 64 << 20) + 64)
        append { LZ4F_compressBegin(context, $0.baseAddress, $0.count, &preferences) }
    }

    deinit {
        LZ4F_freeCompressionContext(context)
        scratch.deallocate()
    }

    /// Compresses the next bytes of the content.
    func write(_ content: UnsafeRawBufferPointer) {
        precondition(given + content.count <= contentSize, "more content than the frame's header declares")
        var offset = 0
        while offset < content.count {
            let piece = UnsafeRawBufferPointer(rebasing: content[offset..<Swift.min(content.count, offset + Self.pieceBytes)])
            append { LZ4F_compressUpdate(context, $0.baseAddress, $0.count, piece.baseAddress, piece.count, nil) }
            offset += piece.count
        }
        given += content.count
    }

    /// Ends the frame (the last block and the checksum) and returns it.
    func finish() -> [UInt8] {
        precondition(given == contentSize, "the frame's header declares \(contentSize) bytes of content, \(given) were given")
        append { LZ4F_compressEnd(context, $0.baseAddress, $0.count, nil) }
        return output
    }

    /// Appends what `body` writes into the scratch room (the number of bytes, or an LZ4F error code).
    private func append(_ body: (UnsafeMutableRawBufferPointer) -> Int) {
        let written = body(scratch)
        // The room is the library's own bound for a piece: failing is a programming error.
        precondition(LZ4F_isError(written) == 0, "LZ4F compression failed: \(String(cString: LZ4F_getErrorName(written)))")
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<written]))
    }
}

/// Reads the content of one LZ4 frame incrementally, straight into the caller's buffers, so that a
/// blob is decompressed once into its final storage. Every failure is a `BlobError`.
final class LZ4FrameReader {
    private let context: OpaquePointer
    private let source: UnsafeRawBufferPointer
    private var sourceOffset = 0
    /// Decompressed bytes the frame header declares.
    let contentSize: Int
    /// Decompressed bytes handed out so far.
    private(set) var produced = 0
    /// Whether liblz4 has read the end of the frame and checked its checksum (it can do so in the
    /// same call that hands out the last bytes); its context is then reset for a next frame.
    private var frameEnded = false

    init(_ source: UnsafeRawBufferPointer) throws(BlobError) {
        var context: OpaquePointer?
        let created = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(created) == 0, let context else {
            throw .compression("cannot create an LZ4 decompression context")
        }
        var info = LZ4F_frameInfo_t()
        var consumed = source.count
        let hint = LZ4F_getFrameInfo(context, &info, source.baseAddress, &consumed)
        guard LZ4F_isError(hint) == 0 else {
            LZ4F_freeDecompressionContext(context)
            throw .compression("not an LZ4 frame: \(String(cString: LZ4F_getErrorName(hint)))")
        }
        guard info.contentChecksumFlag == LZ4F_contentChecksumEnabled else {
            LZ4F_freeDecompressionContext(context)
            throw .compression("the LZ4 frame has no content checksum")
        }
        // An empty content is written without a size field (0 means "not given"); such a frame is
        // read as declaring 0 bytes, and finish() refuses it if it holds any.
        guard info.contentSize <= UInt64(Int.max / LZ4Frame.maximumExpansion),
              Int(info.contentSize) <= max(source.count, 64) * LZ4Frame.maximumExpansion
        else {
            LZ4F_freeDecompressionContext(context)
            throw .compression("the LZ4 frame declares an impossible content size \(info.contentSize) for \(source.count) compressed bytes")
        }
        self.context = context
        self.source = source
        self.sourceOffset = consumed
        self.contentSize = Int(info.contentSize)
    }

    deinit { LZ4F_freeDecompressionContext(context) }

    /// Bytes of content not yet read.
    var remaining: Int { contentSize - produced }

    /// Fills `destination` completely with the next bytes of content.
    func read(into destination: UnsafeMutableRawBufferPointer) throws(BlobError) {
        guard destination.count <= remaining else {
            throw .truncated("needs \(destination.count) more bytes at content offset \(produced), the frame holds \(remaining)")
        }
        var filled = 0
        while filled < destination.count {
            if frameEnded {
                throw .truncated("the LZ4 frame ends at content offset \(produced), \(remaining) bytes early")
            }
            var outSize = destination.count - filled
            var inSize = source.count - sourceOffset
            let result = LZ4F_decompress(
                context, destination.baseAddress! + filled, &outSize,
                source.baseAddress.map { $0 + sourceOffset }, &inSize, nil)
            guard LZ4F_isError(result) == 0 else {
                throw .compression("corrupt LZ4 data at compressed offset \(sourceOffset): \(String(cString: LZ4F_getErrorName(result)))")
            }
            sourceOffset += inSize
            filled += outSize
            produced += outSize
            if result == 0 { frameEnded = true }
            if outSize == 0 && inSize == 0 {
                throw .truncated("the LZ4 frame ends at content offset \(produced), \(remaining) bytes early")
            }
        }
    }

    /// Checks that the whole content was read, that the frame's checksum matches and that nothing
    /// follows the frame.
    func finish() throws(BlobError) {
        guard remaining == 0 else {
            throw .corrupt("\(remaining) bytes of content left unread at offset \(produced)")
        }
        var scratch: UInt64 = 0
        var rounds = 0
        while !frameEnded {
            var outSize = 0
            var inSize = source.count - sourceOffset
            let result = withUnsafeMutableBytes(of: &scratch) { out in
                outSize = out.count
                return LZ4F_decompress(context, out.baseAddress, &outSize,
                                       source.baseAddress.map { $0 + sourceOffset }, &inSize, nil)
            }
            guard LZ4F_isError(result) == 0 else {
                throw .compression("LZ4 frame check failed: \(String(cString: LZ4F_getErrorName(result)))")
            }
            guard outSize == 0 else { throw .corrupt("the LZ4 frame holds more content than it declares") }
            sourceOffset += inSize
            if result == 0 { frameEnded = true; break }
            rounds += 1
            if inSize == 0 || rounds > 4 { throw .truncated("the LZ4 frame ends before its checksum") }
        }
        guard sourceOffset == source.count else {
            throw .corrupt("\(source.count - sourceOffset) stray bytes after the LZ4 frame")
        }
    }
}
