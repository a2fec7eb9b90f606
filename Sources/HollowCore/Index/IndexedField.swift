/// A key field of an index as the lookup path reads it: where the field lies in its type's
/// bit-packed records and, for strings and bytes, in its pool. Only plain values and pointers into
/// the indexed state's immutable storage, so that copying it costs no reference counting: a lookup
/// hands one to `IndexKeyComponent.matches(_:_:)` per key field.
///
/// Valid while the index that handed it out holds its state; ordinals are those of the field's
/// type (checked).
public struct IndexedField: @unchecked Sendable {  // pointers into immutable storage
    /// What a key field holds, as a lookup compares it.
    public enum Kind: UInt8, Sendable {
        case int, long, float, double, bool, string, bytes, reference
    }

    public let kind: Kind
    @usableFromInline let location: FieldLocation
    @usableFromInline let ordinalCount: Int

    init(_ field: FieldHandle, of reader: ObjectTypeReadState) {
        kind = field.kind
        location = field.location
        ordinalCount = reader.ordinalCount
    }

    /// Where the bytes of a string or bytes field of record `ordinal` lie.
    @inlinable @inline(__always)
    func run(_ ordinal: Int) -> (pool: BitStorage._UnsafeHandle, start: Int, count: Int) {
        precondition(UInt(bitPattern: ordinal) < UInt(bitPattern: ordinalCount), "ordinal out of range")
        return location.run(ordinal)
    }

    @inlinable @inline(__always)
    func raw(_ ordinal: Int) -> UInt64 {
        precondition(UInt(bitPattern: ordinal) < UInt(bitPattern: ordinalCount), "ordinal out of range")
        return location.raw(ordinal)
    }

    /// Prefetches the record `ordinal`'s bits of this field, and for a value in a pool the previous
    /// record's, where its run starts (see `BitStorage._UnsafeHandle.prefetch`).
    @inline(__always)
    func prefetchRecord(_ ordinal: Int) {
        guard UInt(bitPattern: ordinal) < UInt(bitPattern: ordinalCount) else { return }
        let (records, row) = location.table.record(ordinal)
        if location.nullBitOffset >= 0 { records.prefetch(bit: row &+ location.nullBitOffset) }
        // A column of no bits (every value 0) is read from nowhere, and may lie past the last record.
        guard location.width > 0 else { return }
        records.prefetch(bit: row &+ location.bitOffset)
        if (kind == .string || kind == .bytes) && location.dictionary == nil && row > 0 {
            records.prefetch(bit: row &- location.table.recordBits &+ location.bitOffset)
        }
    }

    /// Prefetches the first bytes of a string or bytes value of record `ordinal` in its pool, whose
    /// place the record gives (so the record should be in cache already: `prefetchRecord` first).
    /// Values of a dictionary are not prefetched: a dictionary is small, and mostly in cache.
    @inline(__always)
    func prefetchValue(_ ordinal: Int) {
        guard kind == .string || kind == .bytes, location.dictionary == nil,
              UInt(bitPattern: ordinal) < UInt(bitPattern: ordinalCount) else { return }
        let (pool, start, count) = location.run(ordinal)
        if count > 0 && start >= 0 && (start &+ count) &<< 3 <= pool.bitCapacity { pool.prefetch(bit: start &<< 3) }
    }

    /// Whether the field is null in record `ordinal`.
    @inlinable @inline(__always)
    public func isNull(_ ordinal: Int) -> Bool {
        precondition(UInt(bitPattern: ordinal) < UInt(bitPattern: ordinalCount), "ordinal out of range")
        return location.isNull(ordinal)
    }

    /// The stored value of an int, long or reference field as a 64-bit integer; nil when null or
    /// of another kind.
    @inlinable @inline(__always)
    public func integer(_ ordinal: Int) -> Int64? {
        switch kind {
        case .int, .long: isNull(ordinal) ? nil : ZigZag.decode(raw(ordinal))
        case .reference: isNull(ordinal) ? nil : Int64(truncatingIfNeeded: raw(ordinal))
        default: nil
        }
    }

    /// The bit pattern of a float (low 32 bits), double or bool (0 or 1) field; nil when null.
    @inlinable @inline(__always)
    public func bitPattern(_ ordinal: Int) -> UInt64? {
        isNull(ordinal) ? nil : raw(ordinal)
    }

    /// Whether a string (UTF-8) or bytes field of record `ordinal` holds `bytes`, compared in place;
    /// false when null or of another kind.
    @inlinable @inline(__always)
    public func bytesEqual(_ ordinal: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard kind == .string || kind == .bytes, !isNull(ordinal) else { return false }
        let (pool, start, count) = run(ordinal)
        if let symbols = location.symbols { return symbols.decodes(pool.bytes(at: start, count: count), to: bytes) }
        return pool.bytesEqual(at: start, count: count, bytes)
    }

    /// Calls `body` with the bytes of a string or bytes field of record `ordinal` (in place, or
    /// decoded into a temporary buffer when the pool is coded); nil when null or of another kind.
    @inlinable @inline(__always)
    public func withBytes<R>(_ ordinal: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard kind == .string || kind == .bytes, !isNull(ordinal) else { return nil }
        let (pool, start, count) = run(ordinal)
        let bytes = pool.bytes(at: start, count: count)
        if let symbols = location.symbols { return try symbols.withDecoded(bytes, body) }
        return try body(bytes)
    }
}
