import CLZ4

/// LZ4 frames (the system liblz4) with a content checksum and the content size in the header.
enum LZ4Frame {
    /// The largest ratio of decompressed to compressed size LZ4 can reach is about 255:1; a frame
    /// that claims more is refused before anything is allocated for it.
    static let maximumExpansion = 256

    /// Compresses `source` into one frame.
    static func compress(_ source: UnsafeRawBufferPointer, level: Int32 = 1) -> [UInt8] {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.contentSize = UInt64(source.count)
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        preferences.frameInfo.blockSizeID = LZ4F_max4MB
        preferences.compressionLevel = level
        let bound = LZ4F_compressFrameBound(source.count, &preferences)
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            LZ4F_compressFrame(out.baseAddress, out.count, source.baseAddress, source.count, &preferences)
        }
        // Compression can only fail on a bad argument (the bound is computed above): a programming error.
        precondition(LZ4F_isError(written) == 0, "LZ4F_compressFrame failed: \(String(cString: LZ4F_getErrorName(written)))")
        output.removeSubrange(written...)
        return output
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
