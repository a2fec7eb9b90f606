import PropertyBased
import Testing
import TestThreads

@testable import HollowCore

// Tests of LZ4Frame.compress and LZ4FrameReader: round trips in arbitrary chunks, and every kind of
// damage (flipped bytes and bits, truncation, trailing bytes, over-reads) gives a BlobError.

// MARK: - Helpers

private func compress(_ content: [UInt8], level: Int32 = 1) -> [UInt8] {
    content.withUnsafeBytes { LZ4Frame.compress($0, level: level) }
}

/// Reads the whole content of `frame` in chunks of the given sizes (cycled), then finishes.
private func decompress(_ frame: [UInt8], chunks: [Int] = [Int.max]) throws(BlobError) -> [UInt8] {
    // The frame is copied into an allocation of its own size, so that an over-read would run off it.
    let source = UnsafeMutableRawBufferPointer.allocate(byteCount: frame.count, alignment: 1)
    defer { source.deallocate() }
    if !frame.isEmpty { source.copyBytes(from: frame) }
    let reader = try LZ4FrameReader(UnsafeRawBufferPointer(source))
    let content = UnsafeMutableRawBufferPointer.allocate(byteCount: reader.contentSize, alignment: 1)
    defer { content.deallocate() }
    var offset = 0
    var chunk = 0
    while offset < content.count {
        let size = min(max(chunks[chunk % chunks.count], 1), content.count - offset)
        chunk += 1
        try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: content[offset..<offset + size]))
        offset += size
        if reader.remaining != content.count - offset {
            throw .corrupt("test: remaining \(reader.remaining), expected \(content.count - offset)")
        }
    }
    try reader.finish()
    return Array(content)
}

/// The error decoding `frame` gives, or nil when it decodes.
private func decodeError(_ frame: [UInt8], chunks: [Int] = [Int.max]) -> BlobError? {
    do {
        _ = try decompress(frame, chunks: chunks)
        return nil
    } catch {
        return error
    }
}

/// Content of `count` bytes, compressible or not depending on `kind`.
private func content(count: Int, kind: Int, using rng: inout some RandomNumberGenerator) -> [UInt8] {
    switch kind % 4 {
    case 0:  // incompressible
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    case 1:  // a small alphabet
        return (0..<count).map { _ in UInt8.random(in: 0...3, using: &rng) }
    case 2:  // runs
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            let byte = UInt8.random(in: 0...255, using: &rng)
            bytes += repeatElement(byte, count: min(count - bytes.count, Int.random(in: 1...300, using: &rng)))
        }
        return bytes
    default:  // repeated phrases, like text
        let phrases: [[UInt8]] = ["the quick brown fox ", "jumps over ", "the lazy dog. ", "{\"id\": 12, ", "\"title\": \""].map { Array($0.utf8) }
        var bytes: [UInt8] = []
        while bytes.count < count { bytes += phrases.randomElement(using: &rng)! }
        return Array(bytes.prefix(count))
    }
}

@Suite(.onTestThreads) struct LZ4FrameTests {

    // MARK: Round trips

    @Test func roundTripsInRandomChunks() async {
        await propertyCheck(
            count: 150, input: Gen.int(in: 1...100_000), Gen.int(in: 0...3),
            Gen.int(in: 1...70_000).array(of: 1...8), Gen.uint64()
        ) { count, kind, chunks, seed in
            var rng = Xoshiro(seed: seed)
            let original = content(count: count, kind: kind, using: &rng)
            let frame = compress(original)
            let decoded = try decompress(frame, chunks: chunks)
            #expect(decoded == original)
        }
    }

    /// A frame written in pieces (`LZ4FrameWriter`, as blobs are) reads back whole, whatever the
    /// pieces: small ones, ones past a megabyte (split inside), ones across the 4 MiB blocks.
    @Test func framesWrittenInPiecesRoundTrip() async {
        await propertyCheck(
            count: 40, input: Gen.int(in: 0...1_300_000), Gen.int(in: 0...3),
            Gen.int(in: 1...1_500_000).array(of: 1...6), Gen.uint64()
        ) { count, kind, pieces, seed in
            var rng = Xoshiro(seed: seed)
            let original = count == 0 ? [] : content(count: count, kind: kind, using: &rng)
            let writer = LZ4FrameWriter(contentSize: original.count, level: seed & 1 == 0 ? 1 : 9)
            original.withUnsafeBytes { bytes in
                var offset = 0
                var next = 0
                while offset < bytes.count {
                    let piece = min(pieces[next % pieces.count], bytes.count - offset)
                    writer.write(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + piece)]))
                    offset += piece
                    next += 1
                }
            }
            let frame = writer.finish()
            let decoded = try decompress(frame, chunks: [100_000, 7])
            #expect(decoded == original)
        }
        // Nine megabytes in one piece: three blocks.
        var rng = Xoshiro(seed: 9)
        let large = content(count: 9 << 20, kind: 2, using: &rng)
        let writer = LZ4FrameWriter(contentSize: large.count, level: 1)
        large.withUnsafeBytes { writer.write($0) }
        #expect((try? decompress(writer.finish())) == large)
    }

    @Test func smallContentsOfEverySize() throws {
        var rng = Xoshiro(seed: 1)
        for count in 1...300 {
            let original = content(count: count, kind: count, using: &rng)
            let frame = compress(original)
            #expect(try decompress(frame) == original)
            #expect(try decompress(frame, chunks: [1]) == original)
            #expect(try decompress(frame, chunks: [3, 1, 7]) == original)
        }
    }

    @Test func contentLargerThanOneBlock() throws {
        // Blocks are at most 4 MiB: this content spans three of them.
        var rng = Xoshiro(seed: 2)
        let original = content(count: 9 * 1024 * 1024 + 12_345, kind: 2, using: &rng)
        let frame = compress(original)
        #expect(try decompress(frame) == original)
        #expect(try decompress(frame, chunks: [1_000_003, 4 * 1024 * 1024, 17, 65_536]) == original)
        let incompressible = content(count: 4 * 1024 * 1024 + 1, kind: 0, using: &rng)
        #expect(try decompress(compress(incompressible), chunks: [777_777]) == incompressible)
    }

    @Test func compressionLevels() throws {
        var rng = Xoshiro(seed: 4)
        let original = content(count: 100_000, kind: 3, using: &rng)
        for level: Int32 in [-1, 0, 1, 3, 9, 12] {
            let frame = compress(original, level: level)
            #expect(frame.count < original.count / 4)
            #expect(try decompress(frame, chunks: [4096]) == original)
        }
    }

    @Test func emptyContentRoundTrips() throws {
        let frame = compress([])
        #expect(try decompress(frame) == [])
        // Reading nothing from it is fine, and finish() checks the whole frame.
        try frame.withUnsafeBytes { raw in
            let reader = try LZ4FrameReader(raw)
            #expect(reader.contentSize == 0)
            try reader.read(into: UnsafeMutableRawBufferPointer(start: nil, count: 0))
            try reader.finish()
        }
    }

    @Test func headerDeclaresTheContentSize() throws {
        let original = [UInt8](repeating: 7, count: 123_456)
        let frame = compress(original)
        try frame.withUnsafeBytes { raw in
            let reader = try LZ4FrameReader(raw)
            #expect(reader.contentSize == 123_456)
            #expect(reader.remaining == 123_456)
            #expect(reader.produced == 0)
        }
    }

    // MARK: Damage

    @Test func everyFlippedByteIsRefusedOrHarmless() throws {
        // LZ4 has redundant encodings: in a run of equal bytes, a match offset of 1 or 2 decodes to
        // the same content. So a flip must either be refused with a BlobError, or decode to exactly
        // the original content (the content checksum makes anything else refused). Where every byte
        // matters (the frame header, the end mark and checksum, literals of incompressible content)
        // every flip must be refused.
        var rng = Xoshiro(seed: 5)
        for (count, kind) in [(1, 0), (100, 3), (3_000, 1), (3_000, 0), (20_000, 2)] {
            let original = content(count: count, kind: kind, using: &rng)
            let frame = compress(original)
            let header = 15  // magic 4, FLG, BD, content size 8, header checksum
            for position in frame.indices {
                let mustBeRefused = kind == 0 || position < header || position >= frame.count - 8
                for flip: UInt8 in [0xFF, 0x01, UInt8.random(in: 1...255, using: &rng)] {
                    var damaged = frame
                    damaged[position] ^= flip
                    let chunks = [[Int.max], [1000], [1]][position % 3]
                    let decoded: [UInt8]
                    do {
                        decoded = try decompress(damaged, chunks: chunks)
                    } catch {
                        continue
                    }
                    if mustBeRefused || decoded != original {
                        Issue.record("\(count) bytes (kind \(kind)): byte \(position) of \(frame.count) xor \(flip) was not detected")
                    }
                }
            }
        }
    }

    @Test func everyFlippedBitIsRefusedOrHarmless() {
        let original = Array("a frame of text, a frame of text, a frame of text; and some more text at the end".utf8)
        let frame = compress(original)
        var refused = 0
        for bit in 0..<frame.count * 8 {
            var damaged = frame
            damaged[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
            guard let decoded = try? decompress(damaged) else {
                refused += 1
                continue
            }
            let byte = bit / 8
            #expect(byte >= 15 && byte < frame.count - 8, "bit \(bit) of the header or trailer was not detected")
            #expect(decoded == original, "bit \(bit) of \(frame.count * 8) changed the content undetected")
        }
        #expect(refused > frame.count * 8 * 9 / 10)
    }

    @Test func truncationAtEveryLengthIsRefused() {
        var rng = Xoshiro(seed: 6)
        for (count, kind) in [(1, 0), (500, 3), (5_000, 0), (70_000, 1)] {
            let frame = compress(content(count: count, kind: kind, using: &rng))
            for length in 0..<frame.count {
                let truncated = Array(frame[..<length])
                if decodeError(truncated) == nil {
                    Issue.record("\(count) bytes (kind \(kind)): a frame cut to \(length) of \(frame.count) bytes was accepted")
                }
                if length % 7 == 0, decodeError(truncated, chunks: [333]) == nil {
                    Issue.record("\(count) bytes (kind \(kind)): a frame cut to \(length) of \(frame.count) bytes was accepted in chunks")
                }
            }
        }
        // The empty frame too.
        let empty = compress([])
        for length in 0..<empty.count { #expect(decodeError(Array(empty[..<length])) != nil, "cut to \(length)") }
    }

    @Test func truncatedContentIsReportedAsTruncated() throws {
        var rng = Xoshiro(seed: 8)
        let frame = compress(content(count: 50_000, kind: 0, using: &rng))
        let cut = Array(frame[..<(frame.count / 2)])
        guard case .truncated? = decodeError(cut) else {
            Issue.record("expected a truncated error, got \(String(describing: decodeError(cut)))")
            return
        }
    }

    @Test func trailingBytesAreRefused() {
        var rng = Xoshiro(seed: 9)
        for count in [1, 100, 10_000] {
            let original = content(count: count, kind: 3, using: &rng)
            let frame = compress(original)
            let trailers: [[UInt8]] = [[0], [0, 0, 0, 0], [0xFF], Array(frame), Array(repeating: 0x42, count: 100), compress([])]
            for trailer in trailers {
                for chunks in [[Int.max], [1], [count / 2 + 1]] {
                    guard let error = decodeError(frame + trailer, chunks: chunks) else {
                        Issue.record("\(trailer.count) trailing bytes after a frame of \(count) bytes were accepted")
                        continue
                    }
                    if trailer == [0] || trailer == [0xFF] {
                        #expect(error == .corrupt("1 stray bytes after the LZ4 frame"))
                    }
                }
            }
        }
    }

    @Test func readingMoreThanDeclaredIsRefused() throws {
        let original = [UInt8](repeating: 1, count: 1000)
        let frame = compress(original)
        try frame.withUnsafeBytes { raw in
            let reader = try LZ4FrameReader(raw)
            var buffer = [UInt8](repeating: 0, count: 1001)
            try buffer.withUnsafeMutableBytes { out in
                #expect(throws: BlobError.self) { try reader.read(into: out) }
                // The refused read consumed nothing.
                #expect(reader.remaining == 1000)
                try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: out[..<600]))
                #expect(throws: BlobError.self) { try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: out[..<401])) }
                try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: out[600..<1000]))
                #expect(reader.remaining == 0)
                #expect(throws: BlobError.self) { try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: out[..<1])) }
            }
            #expect(Array(buffer[..<1000]) == original)
            try reader.finish()
        }
    }

    @Test func finishingBeforeTheEndIsRefused() throws {
        let frame = compress([UInt8](repeating: 9, count: 100))
        try frame.withUnsafeBytes { raw in
            let reader = try LZ4FrameReader(raw)
            var buffer = [UInt8](repeating: 0, count: 40)
            try buffer.withUnsafeMutableBytes { out in try reader.read(into: out) }
            #expect(throws: BlobError.corrupt("60 bytes of content left unread at offset 40")) { try reader.finish() }
        }
    }

    @Test func notAFrameIsRefused() {
        var rng = Xoshiro(seed: 10)
        #expect(decodeError([]) != nil)
        #expect(decodeError([0x04, 0x22, 0x4D, 0x18]) != nil)
        #expect(decodeError(Array("hello, this is not an LZ4 frame at all".utf8)) != nil)
        for _ in 0..<1000 {
            let garbage = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(decodeError(garbage) != nil)
        }
        // The magic number followed by garbage.
        for _ in 0..<1000 {
            let garbage = [0x04, 0x22, 0x4D, 0x18] + (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(decodeError(garbage) != nil)
        }
    }

    @Test func randomDamageNeverCrashes() async {
        await propertyCheck(count: 300, input: Gen.int(in: 1...5_000), Gen.int(in: 1...8), Gen.uint64()) { count, damages, seed in
            var rng = Xoshiro(seed: seed)
            let original = content(count: count, kind: Int.random(in: 0...3, using: &rng), using: &rng)
            var frame = compress(original)
            for _ in 0..<damages {
                switch Int.random(in: 0...3, using: &rng) {
                case 0: frame[Int.random(in: frame.indices, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                case 1: frame.remove(at: Int.random(in: frame.indices, using: &rng))
                case 2: frame.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...frame.count, using: &rng))
                default: frame.removeLast(Int.random(in: 0...min(frame.count - 1, 10), using: &rng))
                }
                if frame.isEmpty { break }
            }
            // Either refused with a BlobError, or (if the damage happened to cancel out) the original.
            let chunks = [Int.random(in: 1...5_000, using: &rng)]
            if let decoded = try? decompress(frame, chunks: chunks) {
                #expect(decoded == original)
            }
        }
    }

    @Test func errorsDescribeThemselves() {
        #expect(BlobError.compression("x").description == "blob compression error: x")
        #expect(BlobError.truncated("x").description == "truncated blob: x")
        #expect(BlobError.corrupt("x").description == "corrupt blob: x")
    }
}
