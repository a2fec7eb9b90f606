extension SymbolTable {
    /// Writes the table: its symbol count (1 to 255), each symbol's length, then the symbols' bytes.
    func write(to writer: inout ByteWriter) {
        writer.u8(UInt8(symbolCount))
        let symbols = self.symbols
        for symbol in symbols { writer.u8(UInt8(symbol.count)) }
        for symbol in symbols { writer.bytes.append(contentsOf: symbol) }
    }

    /// Reads a table written by `write(to:)`, checking every length.
    static func read(from reader: ByteReader, _ what: String) throws(BlobError) -> SymbolTable {
        let count = Int(try reader.u8())
        guard (1...maximumSymbolCount).contains(count) else { throw .corrupt("\(what): a symbol table of \(count) symbols") }
        let lengths = try reader.bytes(count, "\(what): symbol lengths")
        for (code, length) in lengths.enumerated() where !(1...maximumSymbolLength).contains(Int(length)) {
            throw .corrupt("\(what): symbol \(code) of \(length) bytes")
        }
        let bytes = try reader.bytes(lengths.reduce(0) { $0 + Int($1) }, "\(what): symbols")
        var symbols: [[UInt8]] = []
        var offset = 0
        for length in lengths {
            symbols.append(Array(bytes[offset..<offset + Int(length)]))
            offset += Int(length)
        }
        return SymbolTable(symbols: symbols)
    }
}
