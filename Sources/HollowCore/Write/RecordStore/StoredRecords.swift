/// The records of a committed state's storage as the write state reads them back: a record's
/// canonical encoding written, or compared with an encoding, field by field through
/// `IndexedField`s (plain values and pointers, so that no reference is counted per record, and a
/// coded string is compared symbol by symbol without being decoded). Lists, sets and maps are
/// written by `RecordReading`.
struct StoredRecords: @unchecked Sendable {  // pointers into `state`'s immutable storage, which it holds
    /// The state whose storage holds the records.
    let state: TypeReadState
    /// One per field of an object type; empty for other types.
    private let fields: [IndexedField]

    init(_ state: TypeReadState) {
        self.state = state
        if case .object = state.schema {
            let reader = ObjectTypeReadState(state)
            fields = state.fieldHandles.map { IndexedField($0, of: reader) }
        } else {
            fields = []
        }
    }

    /// Whether `ordinal` holds a record in the storage.
    func holds(_ ordinal: Int) -> Bool { ordinal >= 0 && ordinal < state.data.ordinalCount && state.data.isPopulated(ordinal) }

    /// Writes the canonical encoding of `ordinal` to `sink`.
    @inline(__always)
    func write<Sink: CanonicalSink>(_ ordinal: Int, to sink: inout Sink) {
        guard !fields.isEmpty else { return RecordReading.writeCanonicalContent(of: ordinal, in: state, to: &sink) }
        fields.withUnsafeBufferPointer { fields in
            for field in fields { Self.write(field, of: ordinal, to: &sink) }
        }
    }

    /// Writes the canonical encoding of field `index` alone (its null flag, then its value) of
    /// the object record `ordinal`.
    func writeField<Sink: CanonicalSink>(_ index: Int, of ordinal: Int, to sink: inout Sink) {
        guard !fields.isEmpty else { return RecordReading.writeCanonicalField(index, of: ordinal, in: state, to: &sink) }
        Self.write(fields[index], of: ordinal, to: &sink)
    }

    @inline(__always)
    private static func write<Sink: CanonicalSink>(_ field: IndexedField, of ordinal: Int, to sink: inout Sink) {
        if field.location.nullBitOffset >= 0 {
            let isNull = field.isNull(ordinal)
            sink.byte(isNull ? 0 : 1)
            if isNull { return }
        }
        switch field.kind {
        case .string, .bytes:
            _ = field.withBytes(ordinal) { value in
                sink.varint(UInt64(value.count))
                sink.bytes(value)
            }
        default:
            sink.varint(field.raw(ordinal))
        }
    }

    /// Prefetches what `matches` will read of `ordinal`: its record (`values` false), or the pool
    /// bytes its string values start with (`values` true, once the record is in cache).
    @inline(__always)
    func prefetch(_ ordinal: Int, values: Bool) {
        fields.withUnsafeBufferPointer { fields in
            for field in fields {
                if values { field.prefetchValue(ordinal) } else { field.prefetchRecord(ordinal) }
            }
        }
    }

    /// Whether the record `ordinal` is encoded as `encoding`, compared field by field in place.
    func matches(_ ordinal: Int, _ encoding: UnsafeRawBufferPointer) -> Bool {
        guard !fields.isEmpty else {
            var comparing = ComparingSink(expected: encoding)
            RecordReading.writeCanonicalContent(of: ordinal, in: state, to: &comparing)
            return comparing.matches
        }
        return fields.withUnsafeBufferPointer { fields in
            var offset = 0
            for field in fields {
                if field.location.nullBitOffset >= 0 {
                    guard offset < encoding.count else { return false }
                    let flag = encoding[offset]
                    offset &+= 1
                    let isNull = field.isNull(ordinal)
                    if flag == 0 {
                        guard isNull else { return false }
                        continue
                    }
                    guard flag == 1, !isNull else { return false }
                }
                guard let value = Varint.readIfWhole(encoding, &offset) else { return false }
                switch field.kind {
                case .string, .bytes:
                    guard value <= UInt64(encoding.count &- offset) else { return false }
                    let count = Int(truncatingIfNeeded: value)
                    guard field.bytesEqual(ordinal, UnsafeRawBufferPointer(rebasing: encoding[offset..<(offset &+ count)])) else { return false }
                    offset &+= count
                default:
                    guard value == field.raw(ordinal) else { return false }
                }
            }
            return offset == encoding.count
        }
    }
}
