/// Read access to the records of one object type in one read state. Reads take no lock and
/// allocate nothing (except `string(_:_:)` and `bytes(_:_:)`, which build values); a field read is
/// one unaligned load, a shift and a mask.
///
/// Reading an ordinal that holds no record is allowed and gives zero values, or the values of a
/// record a delta removed (a large type keeps them in its shard until a later delta builds that
/// shard again): a reference read there may lead past its type, so check `isPopulated` before
/// following one. An ordinal at or past `ordinalCount`, or a `FieldHandle` of another state or
/// type, is a programming error and traps.
///
/// Copying one counts one reference (its type's storage): services get one per request.
public struct ObjectTypeReadState: Sendable {
    let state: TypeReadState
    /// Where the shards of the type's storage lie: a field handle must hold the same table.
    @usableFromInline let table: ShardTable.Reader
    public let ordinalCount: Int

    init(_ state: TypeReadState) {
        precondition(state.objectSchema != nil, "not an object type")
        self.state = state
        table = state.table.reader
        ordinalCount = state.data.ordinalCount
    }

    public var schema: ObjectSchema { state.objectSchema.unsafelyUnwrapped }
    public var name: String { schema.name }
    /// Records in this state.
    public var recordCount: Int { state.data.populatedCount }
    /// The ordinals that hold a record, ascending.
    public var ordinals: PopulatedOrdinals {
        PopulatedOrdinals(storage: state.data.populated, ordinalCount: ordinalCount, count: recordCount)
    }
    public func isPopulated(_ ordinal: Int) -> Bool { ordinal >= 0 && ordinal < ordinalCount && state.data.isPopulated(ordinal) }
    /// What the delta that made this state changed in this type (nil when loaded from a snapshot or untouched).
    public var changes: TypeChanges? { state.changes }

    /// The handle of the field named `name`, for fast reads.
    public func field(_ name: String) -> FieldHandle? { state.fieldHandles.first { $0.owner.name == name } }
    public var fields: [FieldHandle] { state.fieldHandles }

    @inlinable @inline(__always)
    func check(_ ordinal: Int, _ field: FieldHandle) {
        precondition(UInt(bitPattern: ordinal) < UInt(bitPattern: ordinalCount), "ordinal out of range")
        precondition(field.location.table.bases == table.bases, "field handle of another state")
    }

    @inlinable @inline(__always)
    func raw(_ ordinal: Int, _ field: FieldHandle) -> UInt64 {
        field.location.raw(ordinal)
    }

    /// Whether the field is null in this record.
    @inlinable @inline(__always)
    public func isNull(_ ordinal: Int, _ field: FieldHandle) -> Bool {
        check(ordinal, field)
        return field.location.isNull(ordinal)
    }

    @inlinable @inline(__always)
    func present(_ ordinal: Int, _ field: FieldHandle) -> Bool {
        check(ordinal, field)
        return !field.location.isNull(ordinal)
    }

    @inlinable @inline(__always)
    public func int(_ ordinal: Int, _ field: FieldHandle) -> Int32? {
        precondition(field.kind == .int, "\(field.name) is not an int field")
        guard present(ordinal, field) else { return nil }
        return Int32(truncatingIfNeeded: ZigZag.decode(raw(ordinal, field)))
    }

    @inlinable @inline(__always)
    public func long(_ ordinal: Int, _ field: FieldHandle) -> Int64? {
        precondition(field.kind == .long, "\(field.name) is not a long field")
        guard present(ordinal, field) else { return nil }
        return ZigZag.decode(raw(ordinal, field))
    }

    @inlinable @inline(__always)
    public func float(_ ordinal: Int, _ field: FieldHandle) -> Float? {
        precondition(field.kind == .float, "\(field.name) is not a float field")
        guard present(ordinal, field) else { return nil }
        return Float(bitPattern: UInt32(truncatingIfNeeded: raw(ordinal, field)))
    }

    @inlinable @inline(__always)
    public func double(_ ordinal: Int, _ field: FieldHandle) -> Double? {
        precondition(field.kind == .double, "\(field.name) is not a double field")
        guard present(ordinal, field) else { return nil }
        return Double(bitPattern: raw(ordinal, field))
    }

    @inlinable @inline(__always)
    public func bool(_ ordinal: Int, _ field: FieldHandle) -> Bool? {
        precondition(field.kind == .bool, "\(field.name) is not a bool field")
        guard present(ordinal, field) else { return nil }
        return raw(ordinal, field) != 0
    }

    /// The ordinal, in the referenced type, of the record this field points to.
    @inlinable @inline(__always)
    public func reference(_ ordinal: Int, _ field: FieldHandle) -> Int? {
        guard field.kind == .reference else { preconditionFailure("\(field.name) is not a reference field") }
        guard present(ordinal, field) else { return nil }
        return Int(truncatingIfNeeded: raw(ordinal, field))
    }

    /// Calls `body` with the bytes of a string (UTF-8) or bytes field, nil when the field is
    /// null. The buffer is valid only inside `body`. In place, without copying, when the field's
    /// pool holds values as they are; decoded into a temporary buffer (on the stack when small)
    /// when the writer coded the pool with a symbol table.
    @inlinable @inline(__always)
    public func withBytes<R>(_ ordinal: Int, _ field: FieldHandle, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        precondition(field.location.pool >= 0, "\(field.name) is not a string or bytes field")
        guard present(ordinal, field) else { return nil }
        let (pool, start, count) = field.location.run(ordinal)
        let run = pool.bytes(at: start, count: count)
        if let symbols = field.location.symbols { return try symbols.withDecoded(run, body) }
        return try body(run)
    }

    /// Compares a string or bytes field with `bytes` in place (a coded value symbol by symbol,
    /// without decoding it first).
    @inlinable @inline(__always)
    public func bytesEqual(_ ordinal: Int, _ field: FieldHandle, _ bytes: UnsafeRawBufferPointer) -> Bool {
        precondition(field.location.pool >= 0, "\(field.name) is not a string or bytes field")
        guard present(ordinal, field) else { return false }
        let (pool, start, count) = field.location.run(ordinal)
        if let symbols = field.location.symbols { return symbols.decodes(pool.bytes(at: start, count: count), to: bytes) }
        return pool.bytesEqual(at: start, count: count, bytes)
    }

    public func string(_ ordinal: Int, _ field: FieldHandle) -> String? {
        precondition(field.kind == .string, "\(field.name) is not a string field")
        return withBytes(ordinal, field) { String(decoding: $0, as: UTF8.self) }
    }

    public func bytes(_ ordinal: Int, _ field: FieldHandle) -> [UInt8]? {
        withBytes(ordinal, field) { Array($0) }
    }
}
