/// Checks of text given as bytes: the import's readers and `ObjectRecordBatch` take strings from
/// the bytes they read, and most of those bytes are ASCII.
package enum UTF8Bytes {
    /// Whether every byte is below 0x80, eight bytes at a time.
    package static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var high: UInt64 = 0
        while index &+ 8 <= bytes.count {
            high |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index &+= 8
        }
        while index < bytes.count {
            high |= UInt64(bytes[index])
            index &+= 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// Whether `bytes` are UTF-8: ASCII, the common case, needs no other validation.
    package static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        isASCII(bytes) || bytes.withMemoryRebound(to: UInt8.self) { String(validating: $0, as: UTF8.self) != nil }
    }
}
