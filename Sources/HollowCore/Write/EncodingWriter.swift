/// Writes a canonical record encoding (see `ObjectRecord.encoded()`) into memory the caller owns,
/// with no allocation: the write state encodes each record into a temporary buffer sized by an
/// upper bound (`ObjectRecord.encodedByteBound`), hashes it and looks it up in place.
///
/// All the unsafe pointer arithmetic of encoding lives here. Invariant: `count <= capacity`; every
/// write checks that it fits (a precondition: the bound given by the caller is a programmer's
/// promise, not input).
struct EncodingWriter {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    private(set) var count = 0

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        base = buffer.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 0x8)!
        capacity = buffer.count
    }

    /// Bytes a varint of any 64-bit value may take.
    static let maximumVarintBytes = 10

    /// The bytes written so far.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: UnsafeRawPointer(base), count: count) }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        precondition(count < capacity, "encoding buffer overflow")
        base.storeBytes(of: value, toByteOffset: count, as: UInt8.self)
        count &+= 1
    }

    /// Unsigned LEB128, as `Varint.append`.
    @inline(__always)
    mutating func varint(_ value: UInt64) {
        precondition(capacity &- count >= EncodingWriter.maximumVarintBytes || capacity &- count >= EncodingWriter.varintBytes(value),
                     "encoding buffer overflow")
        var value = value
        while value >= 0x80 {
            base.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, toByteOffset: count, as: UInt8.self)
            count &+= 1
            value &>>= 7
        }
        base.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: count, as: UInt8.self)
        count &+= 1
    }

    @inline(__always)
    mutating func bytes(_ source: UnsafeRawBufferPointer) {
        precondition(capacity &- count >= source.count, "encoding buffer overflow")
        if let from = source.baseAddress, source.count > 0 {
            (base + count).copyMemory(from: from, byteCount: source.count)
            count &+= source.count
        }
    }

    @inline(__always)
    static func varintBytes(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 &- value.leadingZeroBitCount &+ 6) / 7
    }
}
