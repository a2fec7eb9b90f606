/// A static table of up to 255 byte strings ("symbols") of 1 to 8 bytes each, that codes the
/// values of a string or bytes pool one byte per symbol, with random access to every value: a
/// value is coded on its own, so any record's run decodes without its neighbours. Code 255 escapes
/// one literal byte. The technique is FSST's (Boncz, Neumann and Leis, "FSST: Fast Random Access
/// String Compression", VLDB 2020); the table is built by `SymbolTable(training:)`.
///
/// Encoding is greedy, longest symbol first, and deterministic for a table: equal values have
/// equal codes, so coded runs can be compared and deduplicated as they are. Decoding is total:
/// every byte sequence decodes to something (an unused code to nothing, an escape at the end of a
/// run to nothing), so a damaged pool can give other values but never reads out of bounds.
///
/// Immutable once built, and shared by every state of a type along a chain of deltas: a delta's
/// records are coded with the table of the state it applies to.
@usableFromInline
final class SymbolTable: @unchecked Sendable {  // immutable after init
    /// The code that escapes one literal byte.
    @inlinable static var escape: UInt8 { 255 }
    static let maximumSymbolCount = 255
    @inlinable static var maximumSymbolLength: Int { 8 }
    /// Values of at most this many bytes once decoded are decoded in one pass (on the stack).
    @inlinable static var shortDecodingBytes: Int { 1_016 }

    /// The symbols' bytes (little-endian, unused high bytes zero), 256 entries, escape and unused
    /// codes zero.
    let symbolWords: UnsafeMutablePointer<UInt64>
    /// The symbols' lengths, 256 entries, 0 for the escape and unused codes.
    let symbolLengths: UnsafeMutablePointer<UInt8>
    let symbolCount: Int
    /// For the encoder: codes by their first byte, longest symbol first (`codesByFirstByte[start[b]..<start[b + 1]]`).
    let codesByFirstByte: [UInt8]
    let firstByteStart: [Int]

    /// A table of `symbols` (at most 255, each 1 to 8 bytes), coded in this order.
    init(symbols: [[UInt8]]) {
        precondition(symbols.count <= SymbolTable.maximumSymbolCount, "too many symbols")
        symbolWords = .allocate(capacity: 256)
        symbolWords.initialize(repeating: 0, count: 256)
        symbolLengths = .allocate(capacity: 256)
        symbolLengths.initialize(repeating: 0, count: 256)
        for (code, symbol) in symbols.enumerated() {
            precondition((1...SymbolTable.maximumSymbolLength).contains(symbol.count), "a symbol of \(symbol.count) bytes")
            symbolWords[code] = SymbolTable.word(symbol)
            symbolLengths[code] = UInt8(symbol.count)
        }
        symbolCount = symbols.count
        let order = symbols.indices.sorted { a, b in
            symbols[a][0] != symbols[b][0] ? symbols[a][0] < symbols[b][0]
                : symbols[a].count != symbols[b].count ? symbols[a].count > symbols[b].count : a < b
        }
        codesByFirstByte = order.map { UInt8($0) }
        var start = [Int](repeating: 0, count: 257)
        for symbol in symbols { start[Int(symbol[0]) + 1] += 1 }
        for byte in 0..<256 { start[byte + 1] += start[byte] }
        firstByteStart = start
    }

    deinit {
        symbolWords.deallocate()
        symbolLengths.deallocate()
    }

    /// The symbols, by code.
    var symbols: [[UInt8]] {
        (0..<symbolCount).map { code in
            withUnsafeBytes(of: symbolWords[code].littleEndian) { Array($0.prefix(Int(symbolLengths[code]))) }
        }
    }

    /// Bytes the table takes in memory.
    var residentBytes: Int { 256 * 9 + codesByFirstByte.count + firstByteStart.count * 8 }

    /// The decoder of this table, a plain value for the read path; valid while the table lives.
    var decoder: Decoder { Decoder(words: symbolWords, lengths: symbolLengths) }

    /// The (up to) 8 bytes of `value` from `position`, little-endian, zeros past its end.
    @inline(__always)
    static func word(_ value: UnsafeRawBufferPointer, at position: Int) -> UInt64 {
        let remaining = value.count &- position
        if remaining >= 8 { return UInt64(littleEndian: value.loadUnaligned(fromByteOffset: position, as: UInt64.self)) }
        var partial: UInt64 = 0
        for offset in 0..<remaining { partial |= UInt64(value[position &+ offset]) << UInt64(offset &* 8) }
        return partial
    }

    static func word(_ bytes: some Collection<UInt8>) -> UInt64 {
        var word: UInt64 = 0
        for (index, byte) in bytes.enumerated() { word |= UInt64(byte) << (8 * UInt64(index)) }
        return word
    }
}

extension SymbolTable: Equatable {
    @usableFromInline static func == (lhs: SymbolTable, rhs: SymbolTable) -> Bool {
        lhs === rhs || lhs.symbols == rhs.symbols
    }
}
