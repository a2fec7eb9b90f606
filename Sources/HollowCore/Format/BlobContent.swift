/// The uncompressed content of a blob as a reader consumes it, front to back: decompressed from
/// the blob's LZ4 frame as it goes, or viewed in place in a mapped state image (`StateImage`),
/// whose storage the read state then keeps instead of copying it.
final class BlobContent {
    private enum Source {
        case frame(LZ4FrameReader)
        case mapped(MappedFile, UnsafeRawBufferPointer)
    }

    private let source: Source
    private var mappedOffset = 0

    init(frame: LZ4FrameReader) { source = .frame(frame) }

    /// The bytes of `range` in `file`, read in place.
    init(mapped file: MappedFile, range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= file.byteCount, "content outside the mapping")
        source = .mapped(file, UnsafeRawBufferPointer(rebasing: file.bytes[range]))
    }

    /// Content bytes read so far (the offset errors name).
    var produced: Int {
        switch source {
        case .frame(let frame): frame.produced
        case .mapped: mappedOffset
        }
    }

    /// Content bytes not yet read.
    var remaining: Int {
        switch source {
        case .frame(let frame): frame.remaining
        case .mapped(_, let bytes): bytes.count - mappedOffset
        }
    }

    /// Fills `destination` completely with the next bytes of content.
    func read(into destination: UnsafeMutableRawBufferPointer) throws(BlobError) {
        switch source {
        case .frame(let frame):
            try frame.read(into: destination)
        case .mapped(_, let bytes):
            guard destination.count <= remaining else {
                throw .truncated("needs \(destination.count) more bytes at content offset \(mappedOffset), \(remaining) left")
            }
            if let target = destination.baseAddress {
                target.copyMemory(from: bytes.baseAddress! + mappedOffset, byteCount: destination.count)
            }
            mappedOffset += destination.count
        }
    }

    /// The mapped file and the next `count` bytes in place, which are then read; nil when the
    /// content is decompressed (the caller then reads into storage of its own).
    func view(_ count: Int) throws(BlobError) -> (file: MappedFile, bytes: UnsafeRawPointer)? {
        guard case .mapped(let file, let bytes) = source else { return nil }
        guard count <= remaining else {
            throw .truncated("needs \(count) more bytes at content offset \(mappedOffset), \(remaining) left")
        }
        let address = bytes.baseAddress! + mappedOffset
        mappedOffset += count
        return (file, address)
    }

    /// Checks that the whole content was read (and, for a frame, its checksum).
    func finish() throws(BlobError) {
        switch source {
        case .frame(let frame):
            try frame.finish()
        case .mapped:
            guard remaining == 0 else { throw .corrupt("\(remaining) bytes of content left unread at offset \(mappedOffset)") }
        }
    }
}
