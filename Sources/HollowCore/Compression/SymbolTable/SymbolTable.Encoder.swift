extension SymbolTable {
    /// The write side of a table: finds the longest symbol at a position from the next two bytes
    /// in one look-up (symbols of 3 to 8 bytes are listed under their first two, longest first;
    /// those of 1 and 2 bytes are looked up directly). Made by a writer for the pools it codes.
    ///
    /// The look-up tables are owned here; `view` hands them out as plain pointers, so that the
    /// writer's loop over a million values copies no array and retains nothing per value (a struct
    /// of four arrays, bound for each value, cost five retains and five releases a value).
    final class Encoder {
        let table: SymbolTable
        /// Per first byte: its 1-byte symbol's code, or the escape (256 entries).
        private let single: UnsafeMutablePointer<UInt8>
        /// Per two first bytes (little-endian): their 2-byte symbol's code, or the escape (2^16).
        private let pair: UnsafeMutablePointer<UInt8>
        /// Per two first bytes: the codes of longer symbols starting with them, longest first, in
        /// `long[longStart[p]..<longStart[p + 1]]` (2^16 + 1 entries).
        private let longStart: UnsafeMutablePointer<UInt16>
        private let long: UnsafeMutablePointer<UInt8>

        init(_ table: SymbolTable) {
            self.table = table
            single = .allocate(capacity: 256)
            single.initialize(repeating: SymbolTable.escape, count: 256)
            pair = .allocate(capacity: 1 << 16)
            pair.initialize(repeating: SymbolTable.escape, count: 1 << 16)
            var longCodes: [(prefix: Int, length: Int, code: Int)] = []
            // Codes in order: the first of two equal symbols wins, as the table's order decides.
            for code in (0..<table.symbolCount).reversed() {
                let word = table.symbolWords[code]
                switch Int(table.symbolLengths[code]) {
                case 1: single[Int(word & 0xFF)] = UInt8(code)
                case 2: pair[Int(word & 0xFFFF)] = UInt8(code)
                case let length: longCodes.append((Int(word & 0xFFFF), length, code))
                }
            }
            longCodes.sort { a, b in a.prefix != b.prefix ? a.prefix < b.prefix : a.length != b.length ? a.length > b.length : a.code < b.code }
            longStart = .allocate(capacity: (1 << 16) + 1)
            longStart.initialize(repeating: 0, count: (1 << 16) + 1)
            for entry in longCodes { longStart[entry.prefix + 1] += 1 }
            for prefix in 0..<(1 << 16) { longStart[prefix + 1] += longStart[prefix] }
            long = .allocate(capacity: Swift.max(1, longCodes.count))
            long.initialize(repeating: 0, count: Swift.max(1, longCodes.count))
            for (index, entry) in longCodes.enumerated() { long[index] = UInt8(entry.code) }
        }

        deinit {
            single.deallocate()
            pair.deallocate()
            longStart.deallocate()
            long.deallocate()
        }

        /// The tables as plain pointers, valid while this encoder lives.
        var view: View {
            View(single: single, pair: pair, longStart: longStart, long: long, lengths: table.symbolLengths, words: table.symbolWords)
        }

        /// Appends the codes of `value` to `output` (the same codes as `SymbolTable.encode`).
        func encode(_ value: UnsafeRawBufferPointer, into output: inout [UInt8]) {
            view.encode(value, into: &output)
        }

        /// An encoder's tables as plain pointers: copied for free. Valid while its encoder lives.
        struct View {
            fileprivate let single: UnsafeMutablePointer<UInt8>
            fileprivate let pair: UnsafeMutablePointer<UInt8>
            fileprivate let longStart: UnsafeMutablePointer<UInt16>
            fileprivate let long: UnsafeMutablePointer<UInt8>
            fileprivate let lengths: UnsafeMutablePointer<UInt8>
            fileprivate let words: UnsafeMutablePointer<UInt64>

            /// Appends the codes of `value` to `output` (the same codes as `SymbolTable.encode`).
            func encode(_ value: UnsafeRawBufferPointer, into output: inout [UInt8]) {
                guard !value.isEmpty else { return }
                // At most two bytes a byte of the value: coded into a temporary buffer, appended once.
                withUnsafeTemporaryAllocation(byteCount: value.count &* 2, alignment: 1) { buffer in
                    let codes = buffer.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
                    var written = 0
                    var position = 0
                    let total = value.count
                    while position < total {
                        let code = longestMatch(value, at: position)
                        if code == SymbolTable.escape {
                            codes[written] = SymbolTable.escape
                            codes[written &+ 1] = value[position]
                            written &+= 2
                            position &+= 1
                        } else {
                            codes[written] = code
                            written &+= 1
                            position &+= Int(lengths[Int(code)])
                        }
                    }
                    output.append(contentsOf: UnsafeBufferPointer(start: codes, count: written))
                }
            }

            /// The code of the longest symbol at `position`, or the escape.
            @inline(__always)
            private func longestMatch(_ value: UnsafeRawBufferPointer, at position: Int) -> UInt8 {
                let remaining = value.count &- position
                let word = SymbolTable.word(value, at: position)
                let prefix = Int(truncatingIfNeeded: word & 0xFFFF)
                if remaining >= 3 {
                    for slot in Int(longStart[prefix])..<Int(longStart[prefix &+ 1]) {
                        let code = long[slot]
                        let length = Int(lengths[Int(code)])
                        if length <= remaining && word & BitWidth.mask(length &* 8) == words[Int(code)] { return code }
                    }
                }
                if remaining >= 2 {
                    let code = pair[prefix]
                    if code != SymbolTable.escape { return code }
                }
                return single[Int(truncatingIfNeeded: word & 0xFF)]
            }
        }
    }
}
