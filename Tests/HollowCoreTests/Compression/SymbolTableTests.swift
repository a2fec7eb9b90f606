import PropertyBased
import Testing
import TestThreads

@testable import HollowCore

/// The symbol table that codes string pools: values decode to themselves whatever was trained,
/// equal values get equal codes, comparisons in place agree with decoding, any bytes decode
/// without reading out of bounds, and a table reads back as written.
@Suite(.onTestThreads) struct SymbolTableTests {
    /// Values of one of four shapes: words of English-like text, hex digests, version numbers, or
    /// random bytes (escapes, 0xFF and zeros included).
    static func values(kind: Int, count: Int, using rng: inout Xoshiro) -> [[UInt8]] {
        let words = ["the", "package", "python", "library", "for", "and", "data", "a", "of", "client", "API", "tools", "-dev", "lib"]
        return (0..<count).map { _ in
            switch kind % 4 {
            case 0:
                let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ")
                return Array(text.utf8)
            case 1:
                return (0..<64).map { _ in Array("0123456789abcdef".utf8).randomElement(using: &rng)! }
            case 2:
                return Array("\(Int.random(in: 0...3, using: &rng)).\(Int.random(in: 0...20, using: &rng)).\(Int.random(in: 0...9, using: &rng))".utf8)
            default:
                return (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
        }
    }

    static func encoded(_ value: [UInt8], _ table: SymbolTable) -> [UInt8] {
        var codes: [UInt8] = []
        value.withUnsafeBytes { table.encode($0, into: &codes) }
        return codes
    }

    @Test func valuesDecodeToThemselvesAndCompareInPlace() async {
        await propertyCheck(count: 120, input: Gen.int(in: 0...7), Gen.int(in: 0...400), Gen.uint64()) { kind, count, seed in
            var rng = Xoshiro(seed: seed)
            let sample = Self.values(kind: kind, count: count, using: &rng)
            // Trained on one shape, used on another as well: every value still round-trips.
            let table = SymbolTable(training: sample)
            let encoder = SymbolTable.Encoder(table)
            let others = Self.values(kind: kind + 1, count: 50, using: &rng)
            for value in sample + others {
                let codes = Self.encoded(value, table)
                #expect(codes == Self.encoded(value, table), "coding is deterministic")
                var fast: [UInt8] = []
                value.withUnsafeBytes { encoder.encode($0, into: &fast) }
                #expect(fast == codes, "the writer's encoder codes as the table does")
                codes.withUnsafeBytes { codes in
                    value.withUnsafeBytes { bytes in
                        #expect(codes.count == value.withUnsafeBytes { table.encodedCount($0) })
                        #expect(table.decoder.decodedCount(codes) == value.count)
                        #expect(table.decoder.withDecoded(codes) { Array($0) } == value)
                        #expect(table.decoder.decodes(codes, to: bytes))
                    }
                }
                // One byte more, one less, one changed: not equal.
                var longer = value
                longer.append(0x41)
                #expect(!longer.withUnsafeBytes { bytes in codes.withUnsafeBytes { table.decoder.decodes($0, to: bytes) } })
                if !value.isEmpty {
                    var shorter = value
                    shorter.removeLast()
                    #expect(!shorter.withUnsafeBytes { bytes in codes.withUnsafeBytes { table.decoder.decodes($0, to: bytes) } })
                    var changed = value
                    let at = Int.random(in: 0..<value.count, using: &rng)
                    changed[at] &+= 1
                    #expect(!changed.withUnsafeBytes { bytes in codes.withUnsafeBytes { table.decoder.decodes($0, to: bytes) } })
                }
            }
        }
    }

    @Test func textShrinks() {
        var rng = Xoshiro(seed: 3)
        let sample = Self.values(kind: 0, count: 2_000, using: &rng)
        let table = SymbolTable(training: sample)
        let raw = sample.reduce(0) { $0 + $1.count }
        let coded = sample.reduce(0) { $0 + Self.encoded($1, table).count }
        #expect(table.symbolCount > 0 && table.symbolCount <= 255)
        #expect(Double(coded) < 0.5 * Double(raw), "\(coded) of \(raw) bytes")
    }

    @Test func anyBytesDecodeWithinBounds() async {
        // Codes a writer never makes (unused codes, an escape at the end) decode to something,
        // and the count, the decoding and the comparison agree.
        await propertyCheck(count: 300, input: Gen.int(in: 0...64), Gen.uint64()) { length, seed in
            var rng = Xoshiro(seed: seed)
            let table = SymbolTable(symbols: [[0x61], Array("bcd".utf8), Array("efghijkl".utf8)])
            let codes = (0..<length).map { _ in [0, 1, 2, 3, 200, 254, 255].randomElement(using: &rng)! as UInt8 }
            codes.withUnsafeBytes { codes in
                let decoded = table.decoder.withDecoded(codes) { Array($0) }
                #expect(decoded.count == table.decoder.decodedCount(codes))
                #expect(decoded.withUnsafeBytes { table.decoder.decodes(codes, to: $0) })
            }
        }
    }

    /// The table read from `bytes` (in an LZ4 frame, as in a blob), or the error.
    static func readTable(_ bytes: [UInt8]) -> Result<SymbolTable, BlobError> {
        let frame = bytes.withUnsafeBytes { LZ4Frame.compress($0, level: 1) }
        return frame.withUnsafeBytes { blob in
            Result { () throws(BlobError) -> SymbolTable in
                try SymbolTable.read(from: ByteReader(content: BlobContent(frame: try LZ4FrameReader(blob))), "test")
            }
        }
    }

    @Test func aTableReadsBackAsWrittenAndDamageIsRefused() throws {
        var rng = Xoshiro(seed: 9)
        let table = SymbolTable(training: Self.values(kind: 0, count: 500, using: &rng))
        var writer = ByteWriter()
        table.write(to: &writer)
        #expect(try Self.readTable(writer.bytes).get() == table)
        for damaged: [UInt8] in [[0], [1, 0, 0x41], [1, 9] + Array(repeating: 0x41, count: 9), [2, 1]] {
            guard case .failure = Self.readTable(damaged) else { Issue.record("\(damaged) was read"); continue }
        }
    }
}
