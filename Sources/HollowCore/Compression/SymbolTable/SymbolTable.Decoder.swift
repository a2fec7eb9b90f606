extension SymbolTable {
    /// The read side of a table as plain pointers, so that handles of the read path copy it with
    /// no reference counting. Valid while the table lives (a state's pool holds it).
    @usableFromInline
    struct Decoder: @unchecked Sendable {  // pointers into an immutable table
        @usableFromInline let words: UnsafePointer<UInt64>
        @usableFromInline let lengths: UnsafePointer<UInt8>

        init(words: UnsafeMutablePointer<UInt64>, lengths: UnsafeMutablePointer<UInt8>) {
            self.words = UnsafePointer(words)
            self.lengths = UnsafePointer(lengths)
        }

        /// Bytes `codes` decode to.
        @inlinable
        func decodedCount(_ codes: UnsafeRawBufferPointer) -> Int {
            var count = 0
            var index = 0
            let end = codes.count
            while index < end {
                let code = codes[index]
                index &+= 1
                if code == SymbolTable.escape {
                    if index < end { count &+= 1 }
                    index &+= 1
                } else {
                    count &+= Int(lengths[Int(code)])
                }
            }
            return count
        }

        /// Decodes `codes` into `output`, which must hold `decodedCount(codes) + 7` bytes (each
        /// symbol is stored as a whole 8-byte word); returns the bytes decoded.
        @inlinable
        func decode(_ codes: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) -> Int {
            var written = 0
            var index = 0
            let end = codes.count
            while index < end {
                let code = codes[index]
                index &+= 1
                if code == SymbolTable.escape {
                    guard index < end else { break }
                    output.storeBytes(of: codes[index], toByteOffset: written, as: UInt8.self)
                    index &+= 1
                    written &+= 1
                } else {
                    output.storeBytes(of: words[Int(code)].littleEndian, toByteOffset: written, as: UInt64.self)
                    written &+= Int(lengths[Int(code)])
                }
            }
            return written
        }

        /// Calls `body` with the bytes `codes` decode to, in a temporary buffer (on the stack
        /// when small).
        @inlinable
        func withDecoded<R>(_ codes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            // A short value decodes in one pass into room for its longest possible decoding; a
            // long one is measured first, so that the buffer is no larger than it needs.
            let bound = codes.count &* SymbolTable.maximumSymbolLength
            if bound <= SymbolTable.shortDecodingBytes {
                return try withUnsafeTemporaryAllocation(byteCount: bound &+ 8, alignment: 8) { buffer in
                    let base = buffer.baseAddress.unsafelyUnwrapped
                    return try body(UnsafeRawBufferPointer(start: base, count: decode(codes, into: base)))
                }
            }
            let count = decodedCount(codes)
            return try withUnsafeTemporaryAllocation(byteCount: count &+ 8, alignment: 8) { buffer in
                let base = buffer.baseAddress.unsafelyUnwrapped
                let written = decode(codes, into: base)
                assert(written == count, "decoded \(written) bytes of \(count)")
                return try body(UnsafeRawBufferPointer(start: base, count: written))
            }
        }

        /// Whether `codes` decode to exactly `bytes`, compared symbol by symbol without decoding
        /// into a buffer; stops at the first difference.
        @inlinable
        func decodes(_ codes: UnsafeRawBufferPointer, to bytes: UnsafeRawBufferPointer) -> Bool {
            var position = 0
            var index = 0
            let end = codes.count
            let total = bytes.count
            while index < end {
                let code = codes[index]
                index &+= 1
                if code == SymbolTable.escape {
                    guard index < end else { break }
                    guard position < total, bytes[position] == codes[index] else { return false }
                    index &+= 1
                    position &+= 1
                    continue
                }
                let length = Int(lengths[Int(code)])
                guard length <= total &- position else { return false }
                let symbol = words[Int(code)]
                if total &- position >= 8 {
                    let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                    guard word & BitWidth.mask(length &* 8) == symbol else { return false }
                } else {
                    for offset in 0..<length where bytes[position &+ offset] != UInt8(truncatingIfNeeded: symbol >> UInt64(offset &* 8)) {
                        return false
                    }
                }
                position &+= length
            }
            return position == total
        }
    }
}
