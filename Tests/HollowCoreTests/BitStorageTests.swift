import PropertyBased
import Testing
import TestThreads

@testable import HollowCore

// Tests of the bit-packed storage (BitStorage and its _UnsafeHandle), BitWidth and ZigZag.
// The oracle is a plain array of bits, read from the storage's bytes independently of `read`.

// MARK: - Helpers

/// The bits of `storage` (data and both padding words), read byte by byte.
private func bits(of storage: BitStorage) -> [Bool] {
    let raw = UnsafeRawBufferPointer(start: storage.handle.base, count: storage.residentBytes)
    return (0..<raw.count * 8).map { (raw[$0 >> 3] >> UInt8($0 & 7)) & 1 == 1 }
}

/// Fills the data bytes of `storage` (not the padding) with random bytes.
private func fillRandomly(_ storage: BitStorage, using rng: inout some RandomNumberGenerator) {
    for offset in 0..<storage.byteCount {
        storage.handle.base.storeBytes(of: UInt8.random(in: 0...255, using: &rng), toByteOffset: offset, as: UInt8.self)
    }
}

/// Fills the data bytes of `storage` with `byte`.
private func fill(_ storage: BitStorage, with byte: UInt8) {
    storage.handle.base.initializeMemory(as: UInt8.self, repeating: byte, count: storage.byteCount)
}

/// Sets `width` bits of `model` at `bit` to the low bits of `value`.
private func modelWrite(_ model: inout [Bool], bit: Int, width: Int, value: UInt64) {
    for i in 0..<width { model[bit + i] = (value >> UInt64(i)) & 1 == 1 }
}

private func paddingIsZero(_ storage: BitStorage) -> Bool {
    (storage.byteCount..<storage.residentBytes).allSatisfy {
        storage.handle.base.load(fromByteOffset: $0, as: UInt8.self) == 0
    }
}

/// Describes the first difference between two bit arrays, or nil.
private func firstDifference(_ actual: [Bool], _ expected: [Bool]) -> String? {
    guard actual.count == expected.count else { return "\(actual.count) bits, expected \(expected.count)" }
    guard let at = actual.indices.first(where: { actual[$0] != expected[$0] }) else { return nil }
    return "bit \(at) is \(actual[at] ? 1 : 0), expected \(expected[at] ? 1 : 0)"
}

@Suite(.onTestThreads) struct BitStorageTests {

    // MARK: Allocation

    @Test func allocationIsZeroedAndPadded() {
        for bitCount in [0, 1, 63, 64, 65, 127, 128, 1000, 4096] {
            let storage = BitStorage(bitCount: bitCount)
            let words = (bitCount + 63) / 64
            #expect(storage.byteCount == words * 8)
            #expect(storage.handle.bitCapacity == words * 64)
            #expect(storage.handle.bitCapacity >= bitCount)
            #expect(storage.residentBytes == storage.byteCount + 16)
            #expect(storage.bytes.count == storage.byteCount)
            #expect(bits(of: storage).allSatisfy { !$0 })
        }
    }

    @Test func byteCountInitialiserHandsOutTheDataBytes() {
        let storage = BitStorage(byteCount: 13) { buffer in
            #expect(buffer.count == 13)
            #expect(buffer.allSatisfy { $0 == 0 })
            for i in 0..<13 { buffer[i] = UInt8(i + 1) }
        }
        #expect(storage.byteCount == 16)
        #expect(Array(storage.bytes) == (1...13).map(UInt8.init) + [0, 0, 0])
        #expect(paddingIsZero(storage))
        #expect(storage.handle.read(bit: 8, width: 16, mask: BitWidth.mask(16)) == 0x0302)
        #expect(storage.handle.read(bit: 64, width: 64, mask: ~0) == 0x0D_0C0B_0A09)
    }

    // MARK: Read and write

    @Test func randomWritesReadBackAndLeaveOtherBitsAlone() async {
        let write = zip(Gen.int(in: 0...64), Gen.int(in: 0...100_000), Gen.uint64())
        await propertyCheck(count: 200, input: Gen.int(in: 1...40), write.array(of: 1...200), Gen.uint64()) { words, writes, seed in
            var rng = Xoshiro(seed: seed)
            let storage = BitStorage(bitCount: words * 64 - Int.random(in: 0...63, using: &rng))
            fillRandomly(storage, using: &rng)
            var model = bits(of: storage)
            let capacity = storage.handle.bitCapacity
            for (width, rawBit, value) in writes {
                let width = min(width, capacity)
                let bit = rawBit % (capacity - width + 1)
                let mask = BitWidth.mask(width)
                storage.handle.write(bit: bit, width: width, value: value)
                modelWrite(&model, bit: bit, width: width, value: value)
                #expect(storage.handle.read(bit: bit, width: width, mask: mask) == value & mask,
                        "width \(width) at bit \(bit)")
            }
            #expect(firstDifference(bits(of: storage), model) == nil)
            #expect(paddingIsZero(storage))
            // Random reads of any width agree with the model.
            for _ in 0..<200 {
                let width = Int.random(in: 0...64, using: &rng)
                let bit = Int.random(in: 0...(capacity - width), using: &rng)
                var expected: UInt64 = 0
                for i in 0..<width where model[bit + i] { expected |= 1 << UInt64(i) }
                #expect(storage.handle.read(bit: bit, width: width, mask: BitWidth.mask(width)) == expected)
            }
        }
    }

    @Test(arguments: [1, 57, 58, 64])
    func widthAtEveryBitOffset(width: Int) {
        var rng = Xoshiro(seed: UInt64(width))
        let mask = BitWidth.mask(width)
        let values: [UInt64] = [
            0, ~0, mask, 1, UInt64(1) << UInt64(width - 1), 0x5555_5555_5555_5555, 0xAAAA_AAAA_AAAA_AAAA,
            UInt64.random(in: .min ... .max, using: &rng), UInt64.random(in: .min ... .max, using: &rng),
        ]
        let storage = BitStorage(bitCount: 320)
        // Offsets 0..<64 in the first word, and the same offsets in a later word.
        for base in [0, 192] {
            for offset in 0..<64 {
                let bit = base + offset
                for background in 0..<3 {
                    for value in values {
                        switch background {
                        case 0: fill(storage, with: 0)
                        case 1: fill(storage, with: 0xFF)
                        default: fillRandomly(storage, using: &rng)
                        }
                        var model = bits(of: storage)
                        storage.handle.write(bit: bit, width: width, value: value)
                        modelWrite(&model, bit: bit, width: width, value: value)
                        let read = storage.handle.read(bit: bit, width: width, mask: mask)
                        #expect(read == value & mask, "width \(width) at bit \(bit), value \(value)")
                        if let difference = firstDifference(bits(of: storage), model) {
                            Issue.record("width \(width) at bit \(bit), value \(value), background \(background): \(difference)")
                            return
                        }
                    }
                }
            }
        }
    }

    @Test func everyWidthAtTheEndOfTheStorage() {
        var rng = Xoshiro(seed: 7)
        for words in 1...3 {
            let storage = BitStorage(bitCount: words * 64)
            let capacity = storage.handle.bitCapacity
            for width in 0...64 where width <= capacity {
                for bit in [capacity - width, max(0, capacity - width - 1), max(0, capacity - width - 7)] {
                    fillRandomly(storage, using: &rng)
                    var model = bits(of: storage)
                    let value = UInt64.random(in: .min ... .max, using: &rng)
                    storage.handle.write(bit: bit, width: width, value: value)
                    modelWrite(&model, bit: bit, width: width, value: value)
                    #expect(storage.handle.read(bit: bit, width: width, mask: BitWidth.mask(width)) == value & BitWidth.mask(width))
                    #expect(firstDifference(bits(of: storage), model) == nil, "width \(width) at bit \(bit) of \(capacity)")
                    #expect(paddingIsZero(storage), "width \(width) at bit \(bit) of \(capacity)")
                }
            }
        }
    }

    @Test func zeroWidthIsANoOp() {
        let storage = BitStorage(bitCount: 128)
        fill(storage, with: 0xA5)
        let before = bits(of: storage)
        for bit in [0, 1, 63, 64, 127, 128] {
            storage.handle.write(bit: bit, width: 0, value: ~0)
            #expect(storage.handle.read(bit: bit, width: 0, mask: BitWidth.mask(0)) == 0)
        }
        #expect(bits(of: storage) == before)
    }

    @Test func valuesAreLittleEndianInMemory() {
        let storage = BitStorage(bitCount: 128)
        storage.handle.write(bit: 0, width: 64, value: 0x0807_0605_0403_0201)
        storage.handle.write(bit: 68, width: 8, value: 0xAB)
        #expect(Array(storage.bytes) == [1, 2, 3, 4, 5, 6, 7, 8, 0xB0, 0x0A, 0, 0, 0, 0, 0, 0])
    }

    // MARK: Bulk operations

    @Test func copyBitsEqualsABitByBitCopy() async {
        await propertyCheck(count: 300, input: Gen.int(in: 1...40), Gen.int(in: 1...40), Gen.uint64()) { sourceWords, targetWords, seed in
            var rng = Xoshiro(seed: seed)
            let source = BitStorage(bitCount: sourceWords * 64)
            let target = BitStorage(bitCount: targetWords * 64)
            fillRandomly(source, using: &rng)
            fillRandomly(target, using: &rng)
            let sourceBefore = bits(of: source)
            var model = bits(of: target)
            for _ in 0..<4 {
                let limit = min(source.handle.bitCapacity, target.handle.bitCapacity)
                let count = Bool.random(using: &rng) ? Int.random(in: 0...limit, using: &rng) : Int.random(in: 0...min(limit, 130), using: &rng)
                var sourceBit = Int.random(in: 0...(source.handle.bitCapacity - count), using: &rng)
                var targetBit = Int.random(in: 0...(target.handle.bitCapacity - count), using: &rng)
                if Int.random(in: 0..<3, using: &rng) == 0 {
                    // Both byte-aligned: the memcpy path, with a tail of 0...7 bits.
                    sourceBit &= ~7
                    targetBit &= ~7
                }
                target.handle.copyBits(from: source.handle, sourceBit: sourceBit, to: targetBit, count: count)
                for i in 0..<count { model[targetBit + i] = sourceBefore[sourceBit + i] }
                if let difference = firstDifference(bits(of: target), model) {
                    Issue.record("copy of \(count) bits from \(sourceBit) to \(targetBit): \(difference)")
                    return
                }
            }
            #expect(bits(of: source) == sourceBefore, "the source is not changed")
            #expect(paddingIsZero(target))
        }
    }

    @Test func copyBitsAtEveryAlignment() {
        var rng = Xoshiro(seed: 42)
        let source = BitStorage(bitCount: 512)
        let target = BitStorage(bitCount: 512)
        fillRandomly(source, using: &rng)
        let sourceBits = bits(of: source)
        for sourceBit in 0..<16 {
            for targetBit in 0..<16 {
                for count in [0, 1, 7, 8, 9, 55, 56, 57, 63, 64, 65, 120, 200, 300] {
                    fillRandomly(target, using: &rng)
                    var model = bits(of: target)
                    target.handle.copyBits(from: source.handle, sourceBit: sourceBit, to: targetBit, count: count)
                    for i in 0..<count { model[targetBit + i] = sourceBits[sourceBit + i] }
                    if let difference = firstDifference(bits(of: target), model) {
                        Issue.record("copy of \(count) bits from \(sourceBit) to \(targetBit): \(difference)")
                        return
                    }
                }
            }
        }
    }

    @Test func copyBitsOfAWholeStorage() {
        var rng = Xoshiro(seed: 3)
        let source = BitStorage(bitCount: 64 * 100)
        let target = BitStorage(bitCount: 64 * 100)
        fillRandomly(source, using: &rng)
        target.handle.copyBits(from: source.handle, sourceBit: 0, to: 0, count: source.handle.bitCapacity)
        #expect(Array(target.bytes) == Array(source.bytes))
        #expect(paddingIsZero(target))
    }

    @Test func clearBitsClearsExactlyTheRange() async {
        await propertyCheck(count: 300, input: Gen.int(in: 1...30), Gen.uint64()) { words, seed in
            var rng = Xoshiro(seed: seed)
            let storage = BitStorage(bitCount: words * 64)
            let capacity = storage.handle.bitCapacity
            for _ in 0..<4 {
                fillRandomly(storage, using: &rng)
                var model = bits(of: storage)
                let count = Int.random(in: 0...capacity, using: &rng)
                let bit = Int.random(in: 0...(capacity - count), using: &rng)
                storage.handle.clearBits(at: bit, count: count)
                for i in 0..<count { model[bit + i] = false }
                #expect(firstDifference(bits(of: storage), model) == nil, "clear \(count) bits at \(bit)")
            }
        }
    }

    // MARK: BitWidth

    @Test func bitWidthNeeded() {
        #expect(BitWidth.needed(for: 0) == 0)
        #expect(BitWidth.needed(for: 1) == 1)
        #expect(BitWidth.needed(for: 2) == 2)
        #expect(BitWidth.needed(for: 255) == 8)
        #expect(BitWidth.needed(for: 256) == 9)
        #expect(BitWidth.needed(for: UInt64(1) << 56) == 57)
        #expect(BitWidth.needed(for: UInt64.max) == 64)
        for width in 1...64 {
            let top = BitWidth.mask(width)
            #expect(BitWidth.needed(for: top) == width)
            #expect(BitWidth.needed(for: UInt64(1) << UInt64(width - 1)) == width)
        }
    }

    @Test func bitWidthNeededIsTheFewestBits() async {
        await propertyCheck(count: 500, input: Gen.uint64(), Gen.int(in: 0...64)) { raw, shift in
            let value = shift == 64 ? 0 : raw >> UInt64(shift)
            let width = BitWidth.needed(for: value)
            #expect(value & BitWidth.mask(width) == value, "holds the value")
            if width > 0 { #expect(value >> UInt64(width - 1) == 1, "no fewer bits would") }
        }
    }

    @Test func bitWidthMask() {
        #expect(BitWidth.mask(0) == 0)
        #expect(BitWidth.mask(1) == 1)
        #expect(BitWidth.mask(8) == 0xFF)
        #expect(BitWidth.mask(57) == (UInt64(1) << 57) - 1)
        #expect(BitWidth.mask(63) == UInt64.max >> 1)
        #expect(BitWidth.mask(64) == UInt64.max)
        for width in 0...64 { #expect(BitWidth.mask(width).nonzeroBitCount == width && BitWidth.mask(width).trailingZeroBitCount == (width == 0 ? 64 : 0)) }
    }

    // MARK: ZigZag

    @Test func zigZagKnownValues() {
        #expect(ZigZag.encode(0) == 0)
        #expect(ZigZag.encode(-1) == 1)
        #expect(ZigZag.encode(1) == 2)
        #expect(ZigZag.encode(-2) == 3)
        #expect(ZigZag.encode(2) == 4)
        #expect(ZigZag.encode(.max) == UInt64.max - 1)
        #expect(ZigZag.encode(.min) == UInt64.max)
        for value: Int64 in [0, 1, -1, 2, -2, 63, -64, 1000, -1000, .max, .min, .max - 1, .min + 1, Int64(Int32.max), Int64(Int32.min)] {
            #expect(ZigZag.decode(ZigZag.encode(value)) == value)
        }
        #expect(ZigZag.decode(.max) == .min)
        #expect(ZigZag.decode(.max - 1) == .max)
    }

    @Test func zigZagRoundTrips() async {
        await propertyCheck(count: 1000, input: Gen.int64(), Gen.int(in: 0...63)) { raw, shift in
            // Values of every magnitude, not only huge ones.
            let value = raw >> Int64(shift)
            let encoded = ZigZag.encode(value)
            #expect(ZigZag.decode(encoded) == value)
            // Small magnitudes need few bits: at most one more than the magnitude.
            let magnitude = value < 0 ? ~UInt64(bitPattern: value) : UInt64(value)
            #expect(BitWidth.needed(for: encoded) <= BitWidth.needed(for: magnitude) + 1)
        }
        await propertyCheck(count: 1000, input: Gen.uint64()) { encoded in
            #expect(ZigZag.encode(ZigZag.decode(encoded)) == encoded)
        }
    }
}
