extension SymbolTable {
    /// Appends the codes of `value` to `output`: at each position the longest symbol that matches,
    /// else an escape and the byte. Deterministic, so equal values get equal codes.
    func encode(_ value: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        var position = 0
        let total = value.count
        while position < total {
            let code = longestMatch(value, at: position)
            if code == SymbolTable.escape {
                output.append(SymbolTable.escape)
                output.append(value[position])
                position &+= 1
            } else {
                output.append(code)
                position &+= Int(symbolLengths[Int(code)])
            }
        }
    }

    /// Bytes the codes of `value` take.
    func encodedCount(_ value: UnsafeRawBufferPointer) -> Int {
        var position = 0
        var count = 0
        while position < value.count {
            let code = longestMatch(value, at: position)
            if code == SymbolTable.escape {
                count &+= 2
                position &+= 1
            } else {
                count &+= 1
                position &+= Int(symbolLengths[Int(code)])
            }
        }
        return count
    }

    /// The code of the longest symbol that `value` holds at `position`, or the escape.
    @inline(__always)
    func longestMatch(_ value: UnsafeRawBufferPointer, at position: Int) -> UInt8 {
        let remaining = value.count &- position
        let word = SymbolTable.word(value, at: position)
        let first = Int(value[position])
        for slot in firstByteStart[first]..<firstByteStart[first &+ 1] {
            let code = codesByFirstByte[slot]
            let length = Int(symbolLengths[Int(code)])
            if length <= remaining && word & BitWidth.mask(length &* 8) == symbolWords[Int(code)] { return code }
        }
        return SymbolTable.escape
    }
}
