import PropertyBased
import Testing
import TestThreads

@testable import HollowCore

// BitStreamWriter against the bit-by-bit writes of BitStorage's handle.
@Suite(.onTestThreads) struct BitStreamWriterTests {
    @Test func streamEqualsPositionedWrites() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...64).array(of: 0...200), Gen.uint64()) { widths, seed in
            var rng = Xoshiro(seed: seed)
            let values = widths.map { UInt64.random(in: 0...UInt64.max, using: &rng) & BitWidth.mask($0) }
            let bits = widths.reduce(0, +)
            let expected = BitStorage(bitCount: bits)
            var position = 0
            for (width, value) in zip(widths, values) {
                expected.handle.write(bit: position, width: width, value: value)
                position += width
            }
            let streamed = BitStorage(bitCount: bits, zeroed: false)
            // Garbage where the stream must write: finish() leaves no byte unwritten.
            streamed.handle.base.initializeMemory(as: UInt8.self, repeating: 0xA5, count: streamed.byteCount)
            var writer = BitStreamWriter(streamed)
            for (width, value) in zip(widths, values) { writer.append(value, width: width) }
            #expect(writer.bitCount == bits)
            writer.finish()
            #expect(Array(streamed.bytes) == Array(expected.bytes))
            // The padding words stay zero.
            let padding = UnsafeRawBufferPointer(start: streamed.handle.base + streamed.byteCount, count: 16)
            #expect(padding.allSatisfy { $0 == 0 })
        }
    }

    @Test func wholeWordsAndEmptyStorage() {
        let storage = BitStorage(bitCount: 128, zeroed: false)
        var writer = BitStreamWriter(storage)
        writer.append(.max, width: 64)
        writer.append(0x1234, width: 64)
        writer.finish()
        #expect(storage.handle.load(byteOffset: 0) == .max)
        #expect(storage.handle.load(byteOffset: 8) == 0x1234)
        var empty = BitStreamWriter(BitStorage(bitCount: 0, zeroed: false))
        empty.append(0, width: 0)
        empty.finish()
        #expect(empty.bitCount == 0)
    }
}
