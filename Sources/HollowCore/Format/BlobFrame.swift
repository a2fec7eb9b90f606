/// The LZ4 frame around the content of every blob, for tools that work on the content itself: the
/// fuzzer (which mutates uncompressed content, then wraps it so that the frame's checksum holds
/// and the parser behind it is reached) and format inspectors. Loading a state never needs these:
/// `ReadState` takes the framed blob as it is stored. Package access: the fuzzer and the tests use it;
/// a user never needs it.
package enum BlobFrame {
    /// Wraps `content` in an LZ4 frame with its size and content checksum, as `WriteState` does.
    /// The content is not checked: this is how a tool builds a deliberately malformed blob.
    package static func wrap(_ content: UnsafeRawBufferPointer) -> [UInt8] {
        LZ4Frame.compress(content)
    }

    package static func wrap(_ content: [UInt8]) -> [UInt8] {
        content.withUnsafeBytes { LZ4Frame.compress($0) }
    }

    /// The content of the LZ4 frame of `blob`, after its checksum was checked. The content itself
    /// (header, schema, type sections) is not parsed.
    package static func unwrap(_ blob: UnsafeRawBufferPointer) throws(BlobError) -> [UInt8] {
        let frame = try LZ4FrameReader(blob)
        var content = [UInt8](repeating: 0, count: frame.contentSize)
        try content.withUnsafeMutableBytesTyped { (buffer) throws(BlobError) in try frame.read(into: buffer) }
        try frame.finish()
        return content
    }

    package static func unwrap(_ blob: [UInt8]) throws(BlobError) -> [UInt8] {
        try blob.withUnsafeBytesTyped { (bytes) throws(BlobError) in try unwrap(bytes) }
    }
}
