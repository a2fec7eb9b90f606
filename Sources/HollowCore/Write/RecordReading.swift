/// Encodes a record of a read state back into the write state's canonical form (see
/// `ObjectRecord.encoded()`): a producer continues from a state it reads back, and a write state
/// keeps the records of its committed state in that state's storage rather than as encodings
/// (`RecordStore`).
enum RecordReading {
    static func canonicalContent(of ordinal: Int, in state: TypeReadState) -> [UInt8] {
        var bytes = ArraySink()
        writeCanonicalContent(of: ordinal, in: state, to: &bytes)
        return bytes.bytes
    }

    /// Writes the canonical encoding of `ordinal` to `sink`.
    static func writeCanonicalContent<Sink: CanonicalSink>(of ordinal: Int, in state: TypeReadState, to sink: inout Sink) {
        if case .object(let object) = state.schema {
            for index in object.fields.indices { writeCanonicalField(index, of: ordinal, in: state, to: &sink) }
            return
        }
        let (data, ordinal) = state.data.shard(of: ordinal)
        switch state.schema {
        case .object:
            break
        case .list:
            let range = data.poolRange(ordinal, endColumn: 0)
            sink.varint(UInt64(range.count))
            for element in range { sink.varint(data.pools[0].element(element)) }
        case .set, .map:
            let marker = BitWidth.mask(data.pools[0].unitBits)
            var entries: [(UInt64, UInt64)] = []
            for bucket in data.poolRange(ordinal, endColumn: 0) {
                let key = data.pools[0].element(bucket)
                if key == marker { continue }
                entries.append((key, data.pools.count > 1 ? data.pools[1].element(bucket) : 0))
            }
            entries.sort { $0.0 < $1.0 }
            sink.varint(UInt64(entries.count))
            for (key, value) in entries {
                sink.varint(key)
                if data.pools.count > 1 { sink.varint(value) }
            }
        }
    }
}

extension RecordReading {
    /// Writes the canonical encoding of field `index` of the object record `ordinal`: its null
    /// flag when nullable, then its value (the part of `writeCanonicalContent` for that field).
    static func writeCanonicalField<Sink: CanonicalSink>(_ index: Int, of ordinal: Int, in state: TypeReadState, to sink: inout Sink) {
        let (data, ordinal) = state.data.shard(of: ordinal)
        let slot = state.plan.fields[index]
        if let nullColumn = slot.nullColumn {
            let isNull = data.value(ordinal, nullColumn) != 0
            sink.byte(isNull ? 0 : 1)
            if isNull { return }
        }
        guard let pool = slot.pool else {
            sink.varint(data.value(ordinal, slot.valueColumn))
            return
        }
        // A value held in the field's dictionary: that entry's run in the dictionary's pool.
        let dictionary = data.pools[pool].dictionary
        let values = dictionary?.pools[0] ?? data.pools[pool]
        // (The column holds the entry plus one; a present value's is at least 1.)
        let range = dictionary.map { $0.poolRange(Int(truncatingIfNeeded: data.value(ordinal, slot.valueColumn)) - 1, endColumn: 0) }
            ?? data.poolRange(ordinal, endColumn: slot.valueColumn)
        let run = values.storage.handle.bytes(at: range.lowerBound, count: range.count)
        if let symbols = values.symbols?.decoder {
            symbols.withDecoded(run) { value in
                sink.varint(UInt64(value.count))
                sink.bytes(value)
            }
        } else {
            sink.varint(UInt64(range.count))
            sink.bytes(run)
        }
    }
}

/// Where `RecordReading` writes a canonical encoding: an array, a caller's buffer
/// (`EncodingWriter`), or a count.
protocol CanonicalSink {
    mutating func byte(_ value: UInt8)
    mutating func varint(_ value: UInt64)
    mutating func bytes(_ source: UnsafeRawBufferPointer)
}

extension EncodingWriter: CanonicalSink {}

/// A canonical encoding appended to an array.
struct ArraySink: CanonicalSink {
    var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }
    mutating func varint(_ value: UInt64) { Varint.append(value, to: &bytes) }
    mutating func bytes(_ source: UnsafeRawBufferPointer) { bytes.append(contentsOf: source) }
}

/// The length of a canonical encoding, nothing written.
struct CountingSink: CanonicalSink {
    var count = 0

    mutating func byte(_ value: UInt8) { count &+= 1 }
    mutating func varint(_ value: UInt64) { count &+= EncodingWriter.varintBytes(value) }
    mutating func bytes(_ source: UnsafeRawBufferPointer) { count &+= source.count }
}

/// Compares a canonical encoding, as it is written, with `expected`.
struct ComparingSink: CanonicalSink {
    let expected: UnsafeRawBufferPointer
    private var position = 0
    private var equal = true

    init(expected: UnsafeRawBufferPointer) {
        self.expected = expected
    }

    /// Whether the bytes written were exactly `expected`.
    var matches: Bool { equal && position == expected.count }

    mutating func byte(_ value: UInt8) {
        guard equal, position < expected.count, expected[position] == value else {
            equal = false
            return
        }
        position &+= 1
    }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            byte(UInt8(truncatingIfNeeded: value) | 0x80)
            value &>>= 7
        }
        byte(UInt8(truncatingIfNeeded: value))
    }

    mutating func bytes(_ source: UnsafeRawBufferPointer) {
        guard equal, expected.count &- position >= source.count else {
            equal = false
            return
        }
        if !source.isEmpty, memcmp(expected.baseAddress! + position, source.baseAddress!, source.count) != 0 {
            equal = false
            return
        }
        position &+= source.count
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
