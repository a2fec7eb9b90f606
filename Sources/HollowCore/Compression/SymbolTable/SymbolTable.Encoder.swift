extension SymbolTable {
    /// The write side of a table: finds the longest symbol at a position from the next two bytes
    /// in one look-up (symbols of 3 to 8 bytes are listed under their first two, longest first;
    /// those of 1 and 2 bytes are looked up directly). Made by a writer for the pools it codes.
    struct Encoder {
        let table: SymbolTable
        /// Per first byte: its 1-byte symbol's code, or the escape.
        private var single: [UInt8]
        /// Per two first bytes (little-endian): their 2-byte symbol's code, or the escape.
        private var pair: [UInt8]
        /// Per two first bytes: the codes of longer symbols starting with them, longest first,
        /// in `long[longStart[p]..<longStart[p + 1]]`.
        private var longStart: [UInt16]
        private var long: [UInt8]

        init(_ table: SymbolTable) {
            self.table = table
            single = [UInt8](repeating: SymbolTable.escape, count: 256)
            pair = [UInt8](repeating: SymbolTable.escape, count: 1 << 16)
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
            var start = [UInt16](repeating: 0, count: (1 << 16) + 1)
            for entry in longCodes { start[entry.prefix + 1] += 1 }
            for prefix in 0..<(1 << 16) { start[prefix + 1] += start[prefix] }
            longStart = start
            long = longCodes.map { UInt8($0.code) }
        }

        /// Appends the codes of `value` to `output` (the same codes as `SymbolTable.encode`).
        func encode(_ value: UnsafeRawBufferPointer, into output: inout [UInt8]) {
            guard !value.isEmpty else { return }
            // At most two bytes a byte of the value: coded into a temporary buffer, appended once.
            withUnsafeTemporaryAllocation(byteCount: value.count &* 2, alignment: 1) { buffer in
              single.withUnsafeBufferPointer { single in
              pair.withUnsafeBufferPointer { pair in
              longStart.withUnsafeBufferPointer { longStart in
              long.withUnsafeBufferPointer { long in
                let codes = buffer.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
                var written = 0
                var position = 0
                let total = value.count
                let lengths = table.symbolLengths
                let words = table.symbolWords
                while position < total {
                    let code = Self.longestMatch(value, at: position, single, pair, longStart, long, lengths, words)
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
              }
              }
            }
        }

        /// The code of the longest symbol at `position`, or the escape (the tables hoisted by the caller).
        @inline(__always)
        private static func longestMatch(_ value: UnsafeRawBufferPointer, at position: Int, _ single: UnsafeBufferPointer<UInt8>,
                                         _ pair: UnsafeBufferPointer<UInt8>, _ longStart: UnsafeBufferPointer<UInt16>,
                                         _ long: UnsafeBufferPointer<UInt8>, _ lengths: UnsafeMutablePointer<UInt8>,
                                         _ words: UnsafeMutablePointer<UInt64>) -> UInt8 {
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
