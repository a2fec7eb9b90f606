/// Writes a canonical record encoding (see `ObjectRecord.encoded()`) into memory the caller owns,
/// with no allocation: the write state encodes each record into a temporary buffer sized by an
/// upper bound (`ObjectRecord.encodedByteBound`), hashes it and looks it up in place.
///
/// All the unsafe memory access of encoding lives here. Invariant: `count <= capacity`; every
/// write checks that it fits (a precondition: the bound given by the caller is a programmer's
/// promise, not input).
struct EncodingWriter {
    /// The caller's memory; `buffer[..<count]` is written. An empty buffer may have no address:
    /// nothing is ever stored into it.
    private let buffer: UnsafeMutableRawBufferPointer
    private(set) var count = 0

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        self.buffer = buffer
    }

    var capacity: Int { buffer.count }

    /// Bytes a varint of any 64-bit value may take.
    static let maximumVarintBytes = 10

    /// The bytes written so far.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[..<count]) }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        precondition(count < capacity, "encoding buffer overflow")
        buffer.storeBytes(of: value, toByteOffset: count, as: UInt8.self)
        count &+= 1
    }

    /// Unsigned LEB128, as `Varint.append`.
    @inline(__always)
    mutating func varint(_ value: UInt64) {
        precondition(capacity &- count >= EncodingWriter.maximumVarintBytes || capacity &- count >= EncodingWriter.varintBytes(value),
                     "encoding buffer overflow")
        var value = value
        while value >= 0x80 {
            buffer.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, toByteOffset: count, as: UInt8.self)
            count &+= 1
            value &>>= 7
        }
        buffer.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: count, as: UInt8.self)
        count &+= 1
    }

    @inline(__always)
    mutating func bytes(_ source: UnsafeRawBufferPointer) {
        precondition(capacity &- count >= source.count, "encoding buffer overflow")
        guard !source.isEmpty else { return }
        UnsafeMutableRawBufferPointer(rebasing: buffer[count..<count &+ source.count]).copyMemory(from: source)
        count &+= source.count
    }

    @inline(__always)
    static func varintBytes(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 &- value.leadingZeroBitCount &+ 6) / 7
    }
}
