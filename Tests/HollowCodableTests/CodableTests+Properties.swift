import PropertyBased
import Testing

@testable import HollowCodable
import HollowCore

// Round trips of random values (SampleGen.swift).
extension CodableTests {
    @Test func randomValuesRoundTrip() async throws {
        let schema = try Schema(deriving: Sample.self)
        await propertyCheck(count: 150, input: SampleGen.sample.array(of: 1...4)) { samples in
            let writer = WriteState(schema: schema)
            try writer.beginCycle()
            let ordinals = try HollowEncoder(writer).add(contentsOf: samples)
            let state = try ReadState(snapshot: try #require(try writer.writeBlobs()).snapshot)
            let decoder = HollowDecoder(state)
            for (sample, ordinal) in zip(samples, ordinals) {
                #expect(try decoder.decode(Sample.self, ordinal: ordinal) == sample)
            }
            #expect(state.recordCount("Sample") == Set(samples).count)
        }
    }

    @Test func randomDeltasLeadToTheNextCyclesValues() async throws {
        let schema = try Schema(deriving: Sample.self)
        let samples = SampleGen.sample.array(of: 0...5)
        await propertyCheck(count: 100, input: samples, samples) { first, second in
            let writer = WriteState(schema: schema)
            let before = try ReadState(snapshot: try writeCycle(writer, first).snapshot)
            try writer.beginCycle()
            try HollowEncoder(writer).add(contentsOf: second)
            guard let blobs = try writer.writeBlobs() else {
                #expect(Set(first) == Set(second))
                return
            }
            let after = try before.applying(delta: try #require(blobs.delta))
            #expect(Set(try after.values(Sample.self)) == Set(second))
            let back = try after.applying(delta: try #require(blobs.reverseDelta))
            #expect(Set(try back.values(Sample.self)) == Set(first))
        }
    }

    @Test func randomScalarsRoundTripInCollections() async throws {
        struct Scalars: Codable, Equatable {
            var longs: [Int64]
            var unsigned: Set<UInt64>
            var small: [Int8: UInt16]
            var floats: [Float]
            var maybe: [Double?]
        }
        let schema = try Schema(deriving: Scalars.self)
        let small = zip(Gen.int8(), Gen.uint16()).dictionary(ofAtMost: 0...5)
        await propertyCheck(count: 150, input: Gen.int64().array(of: 0...5), Gen.uint64().set(ofAtMost: 0...5), small,
                            Gen.float(in: -1e30...1e30).array(of: 0...5), Gen.double(in: -1...1).optional.array(of: 0...5)) { longs, unsigned, small, floats, maybe in
            let value = Scalars(longs: longs, unsigned: unsigned, small: small, floats: floats, maybe: maybe)
            let writer = WriteState(schema: schema)
            try writer.beginCycle()
            let ordinal = try writer.add(value)
            let state = try ReadState(snapshot: try #require(try writer.writeBlobs()).snapshot)
            #expect(try state.value(Scalars.self, ordinal: ordinal) == value)
        }
    }
}
