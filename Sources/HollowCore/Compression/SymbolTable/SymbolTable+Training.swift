extension SymbolTable {
    /// A table built from sample values, FSST's way: start empty, then five times code the
    /// sample with the table so far, count how often each symbol and each escaped byte occurs and
    /// how often each pair of them follows one another, and keep the 255 candidates (those symbols
    /// and bytes, and the pairs joined, up to 8 bytes) that cover the most bytes. Deterministic
    /// for a sample.
    convenience init(training sample: [[UInt8]]) {
        var symbols: [[UInt8]] = []
        for _ in 0..<SymbolTable.trainingRounds {
            symbols = SymbolTable(symbols: symbols).nextSymbols(sample)
        }
        self.init(symbols: symbols)
    }

    static let trainingRounds = 5

    /// A candidate symbol: its bytes as a little-endian word and its length.
    private struct Candidate: Hashable {
        var word: UInt64
        var length: Int
    }

    /// The symbols of the next round, from how this table codes `sample`.
    private func nextSymbols(_ sample: [[UInt8]]) -> [[UInt8]] {
        // Units: a code (0 to 254), or 256 + an escaped byte.
        let units = 512
        var single = [Int](repeating: 0, count: units)
        var pairs = [Int32](repeating: 0, count: units * units)
        for value in sample {
            value.withUnsafeBytes { value in
                var previous = -1
                var position = 0
                while position < value.count {
                    let code = longestMatch(value, at: position)
                    let unit: Int
                    if code == SymbolTable.escape {
                        unit = 256 + Int(value[position])
                        position += 1
                    } else {
                        unit = Int(code)
                        position += Int(symbolLengths[Int(code)])
                    }
                    single[unit] += 1
                    if previous >= 0 { pairs[previous * units + unit] &+= 1 }
                    previous = unit
                }
            }
        }
        func candidate(_ unit: Int) -> Candidate {
            unit >= 256 ? Candidate(word: UInt64(unit - 256), length: 1)
                : Candidate(word: symbolWords[unit], length: Int(symbolLengths[unit]))
        }
        var gains: [Candidate: Int] = [:]
        var seen: [Int] = []
        for unit in 0..<units where single[unit] > 0 {
            let symbol = candidate(unit)
            gains[symbol, default: 0] += single[unit] * symbol.length
            seen.append(unit)
        }
        for first in seen {
            let head = candidate(first)
            guard head.length < SymbolTable.maximumSymbolLength else { continue }
            for second in seen {
                let count = Int(pairs[first * units + second])
                guard count > 0 else { continue }
                let tail = candidate(second)
                let length = head.length + tail.length
                guard length <= SymbolTable.maximumSymbolLength else { continue }
                let joined = Candidate(word: head.word | tail.word << UInt64(8 * head.length), length: length)
                gains[joined, default: 0] += count * length
            }
        }
        let chosen = gains.sorted { a, b in
            a.value != b.value ? a.value > b.value
                : a.key.length != b.key.length ? a.key.length > b.key.length : a.key.word < b.key.word
        }.prefix(SymbolTable.maximumSymbolCount)
        return chosen.map { symbol in
            (0..<symbol.key.length).map { UInt8(truncatingIfNeeded: symbol.key.word >> UInt64(8 * $0)) }
        }
    }
}
