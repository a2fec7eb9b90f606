import Testing
import TestThreads

@testable import HollowCore

/// The small types that own raw-pointer code: `EncodingWriter` (record encodings) and the byte
/// access of `BitStorage._UnsafeHandle` (string and bytes pools).
@Suite(.onTestThreads) struct UnsafeAccessTests {
    @Test func encodingWriterWritesWhatVarintWrites() {
        let values: [UInt64] = [0, 1, 0x7F, 0x80, 300, 1 << 35, .max]
        var expected: [UInt8] = []
        for value in values { Varint.append(value, to: &expected) }
        expected += [7, 8, 9, 42]
        withUnsafeTemporaryAllocation(byteCount: values.count * EncodingWriter.maximumVarintBytes + 4, alignment: 1) { buffer in
            var writer = EncodingWriter(buffer)
            for value in values { writer.varint(value) }
            ([7, 8, 9] as [UInt8]).withUnsafeBytes { writer.bytes($0) }
            writer.bytes(UnsafeRawBufferPointer(start: nil, count: 0))
            writer.byte(42)
            #expect(Array(writer.bytes) == expected)
            #expect(writer.count == expected.count)
        }
        for value in values {
            #expect(EncodingWriter.varintBytes(value) == { var bytes: [UInt8] = []; Varint.append(value, to: &bytes); return bytes.count }())
        }
    }

    @Test func anEmptyBufferWithNoAddressTakesEmptyWrites() {
        var writer = EncodingWriter(UnsafeMutableRawBufferPointer(start: nil, count: 0))
        writer.bytes(UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(writer.count == 0 && writer.capacity == 0)
        #expect(writer.bytes.isEmpty)
    }

    @Test func writingPastTheBufferTraps() async {
        await #expect(processExitsWith: .failure) {
            var writer = EncodingWriter(UnsafeMutableRawBufferPointer(start: nil, count: 0))
            writer.byte(1)
        }
        await #expect(processExitsWith: .failure) {
            withUnsafeTemporaryAllocation(byteCount: 2, alignment: 1) { buffer in
                var writer = EncodingWriter(buffer)
                writer.varint(1 << 20)
            }
        }
    }

    @Test func poolBytesAreReadAndComparedInPlace() {
        let text = Array("hello, pool".utf8)
        let storage = BitStorage(byteCount: text.count) { buffer in text.withUnsafeBytes { buffer.copyMemory(from: $0) } }
        let handle = storage.handle
        #expect(Array(handle.bytes(at: 7, count: 4)) == Array("pool".utf8))
        #expect(handle.bytes(at: 3, count: 0).isEmpty)
        Array("pool".utf8).withUnsafeBytes { pool in
            #expect(handle.bytesEqual(at: 7, count: 4, pool))
            #expect(!handle.bytesEqual(at: 0, count: 4, pool))
            #expect(!handle.bytesEqual(at: 7, count: 3, pool))
        }
        #expect(handle.bytesEqual(at: 5, count: 0, UnsafeRawBufferPointer(start: nil, count: 0)))
    }

    @Test func stringFieldsReadThroughThePoolHandle() throws {
        let schema = try Schema(parsing: "type T { name: string  data: bytes? }")
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        for name in ["", "a", "longer name", "ünïcødé"] {
            var record = ObjectRecord(schema.object("T")!)
            try record.set("name", .string(name))
            try record.set("data", name.isEmpty ? nil : .bytes(Array(name.utf8.reversed())))
            try writer.add(record)
        }
        let state = try ReadState(snapshot: try #require(try writer.writeBlobs()).snapshot)
        let type = try #require(state.objectType("T"))
        let name = try #require(type.field("name"))
        let data = try #require(type.field("data"))
        var seen: Set<String> = []
        for ordinal in type.ordinals {
            let text = try #require(type.string(ordinal, name))
            seen.insert(text)
            Array(text.utf8).withUnsafeBytes { #expect(type.bytesEqual(ordinal, name, $0)) }
            #expect(type.bytes(ordinal, data) == (text.isEmpty ? nil : Array(text.utf8.reversed())))
            if text.isEmpty {
                #expect(!type.bytesEqual(ordinal, data, UnsafeRawBufferPointer(start: nil, count: 0)), "a null field equals nothing")
            } else {
                Array(text.utf8.reversed()).withUnsafeBytes { #expect(type.bytesEqual(ordinal, data, $0)) }
            }
        }
        #expect(seen == ["", "a", "longer name", "ünïcødé"])
    }
}
