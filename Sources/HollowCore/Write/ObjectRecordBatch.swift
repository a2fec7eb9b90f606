/// Records of one object type, set field by field and encoded as each one ends, for adding many at
/// once (`WriteState.add(_:ordinals:)`) without a `FieldValue`, a `String` or an array per field:
/// what a reader of text (a CSV or TSV row) sets straight from the bytes it read.
///
/// A record is built by the setters (in any order of fields; a field set twice keeps the last
/// value) and ended by `endRecord()`, which checks it and appends its canonical encoding, the
/// same bytes `ObjectRecord` makes of the same values. A field left unset is null.
public struct ObjectRecordBatch: Sendable {
    public let schema: ObjectSchema
    private let kinds: [Kind]
    /// Per field, as `RecordFields.KeyStep.kinds`: bit 0 when nullable, bit 1 when variable-length.
    private let layout: [UInt8]
    /// The record being built: a value per field, its strings' and bytes' bytes in `rowBytes`.
    private var slots: [Slot]
    private var rowBytes: [UInt8] = []
    /// The ended records' encodings, one after another; `ends[i]` is where record `i`'s ends.
    private(set) var content: [UInt8] = []
    private(set) var ends: [Int] = []
    /// The references of the ended records, in the order of the records.
    private(set) var references: [Reference] = []

    struct Reference: Sendable {
        var record: Int
        var field: Int
        var ordinal: Int
    }

    typealias Kind = IndexedField.Kind

    /// A field's value as its encoding holds it: the number before it is written as a varint (a
    /// zigzag integer, a float's bits, 0 or 1, an ordinal), or a run of `rowBytes`.
    enum Slot: Sendable {
        case null
        case scalar(UInt64)
        case bytes(start: Int, count: Int)
    }

    public init(_ schema: ObjectSchema) {
        self.schema = schema
        kinds = schema.fields.map(\.type.kind)
        layout = RecordFields.layout(of: schema)
        slots = Array(repeating: .null, count: schema.fields.count)
    }

    /// The records ended so far.
    public var count: Int { ends.count }
    public var isEmpty: Bool { ends.isEmpty }

    // MARK: The record being built

    public mutating func set(_ field: Int, int value: Int32) throws(WriteError) {
        try check(field, .int)
        slots[field] = .scalar(ZigZag.encode(Int64(value)))
    }

    public mutating func set(_ field: Int, long value: Int64) throws(WriteError) {
        try check(field, .long)
        slots[field] = .scalar(ZigZag.encode(value))
    }

    public mutating func set(_ field: Int, float value: Float) throws(WriteError) {
        try check(field, .float)
        slots[field] = .scalar(UInt64(value.bitPattern))
    }

    public mutating func set(_ field: Int, double value: Double) throws(WriteError) {
        try check(field, .double)
        slots[field] = .scalar(value.bitPattern)
    }

    public mutating func set(_ field: Int, bool value: Bool) throws(WriteError) {
        try check(field, .bool)
        slots[field] = .scalar(value ? 1 : 0)
    }

    /// An ordinal the write state gave a record of the field's type in this cycle (checked when
    /// the batch is added).
    public mutating func set(_ field: Int, reference ordinal: Int) throws(WriteError) {
        try check(field, .reference)
        guard ordinal >= 0 else {
            throw .invalidReference(type: schema.name, field: schema.fields[field].name, ordinal: ordinal, target: schema.fields[field].type.description)
        }
        slots[field] = .scalar(UInt64(ordinal))
    }

    /// A string field's value from its UTF-8 bytes, which are checked (bytes that are not UTF-8
    /// are a type mismatch) and copied.
    public mutating func set(_ field: Int, utf8 bytes: UnsafeRawBufferPointer) throws(WriteError) {
        try check(field, .string)
        guard UTF8Bytes.isValid(bytes) else {
            throw .typeMismatch(type: schema.name, field: schema.fields[field].name, expected: .string, found: "bytes that are not UTF-8")
        }
        slots[field] = .bytes(start: rowBytes.count, count: bytes.count)
        rowBytes.append(contentsOf: bytes)
    }

    /// A bytes field's value, copied.
    public mutating func set(_ field: Int, bytes: UnsafeRawBufferPointer) throws(WriteError) {
        try check(field, .bytes)
        slots[field] = .bytes(start: rowBytes.count, count: bytes.count)
        rowBytes.append(contentsOf: bytes)
    }

    /// Sets a field from a `FieldValue`, or clears it (null) with nil.
    public mutating func set(_ field: Int, _ value: FieldValue?) throws(WriteError) {
        switch value {
        case nil:
            precondition(field >= 0 && field < slots.count, "field \(field) of \(schema.name), which has \(slots.count)")
            slots[field] = .null
        case .int(let number)?: try set(field, int: number)
        case .long(let number)?: try set(field, long: number)
        case .float(let number)?: try set(field, float: number)
        case .double(let number)?: try set(field, double: number)
        case .bool(let flag)?: try set(field, bool: flag)
        case .string(let text)?: try Array(text.utf8).withUnsafeBytesTyped { (utf8) throws(WriteError) in try set(field, utf8: utf8) }
        case .bytes(let data)?: try data.withUnsafeBytesTyped { (data) throws(WriteError) in try set(field, bytes: data) }
        case .reference(let ordinal)?: try set(field, reference: ordinal)
        }
    }

    /// Whether the record being built has a value (not null) for `field`.
    public func hasValue(_ field: Int) -> Bool {
        if case .null = slots[field] { return false }
        return true
    }

    /// The first field of the record being built that is not nullable and has no value, if any.
    public var firstMissingField: Int? {
        for field in slots.indices where layout[field] & 1 == 0 {
            if case .null = slots[field] { return field }
        }
        return nil
    }

    /// Ends the record being built: appends its encoding, and starts the next one empty. A field
    /// that is not nullable and has no value is refused, and the record is dropped.
    public mutating func endRecord() throws(WriteError) {
        defer { discardRecord() }
        if let field = firstMissingField { throw .missingValue(type: schema.name, field: schema.fields[field].name) }
        let record = ends.count
        // Moved out while it grows, so that no other reference makes each append copy it.
        var output: [UInt8] = []
        swap(&output, &content)
        for field in slots.indices {
            Self.append(slots[field], nullable: layout[field] & 1 != 0, rowBytes: rowBytes, to: &output)
            if kinds[field] == .reference, case .scalar(let ordinal) = slots[field] {
                references.append(Reference(record: record, field: field, ordinal: Int(ordinal)))
            }
        }
        swap(&output, &content)
        ends.append(content.count)
    }

    /// Drops the record being built (the ended ones stay).
    public mutating func discardRecord() {
        for field in slots.indices { slots[field] = .null }
        rowBytes.removeAll(keepingCapacity: true)
    }

    /// Drops every record, the one being built too, keeping the room they took.
    public mutating func removeAll() {
        discardRecord()
        content.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        references.removeAll(keepingCapacity: true)
    }

    // MARK: The ended records

    /// Calls `body` with the encoding of record `index`, in place.
    func withContent<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws(WriteError) -> R) throws(WriteError) -> R {
        let start = index == 0 ? 0 : ends[index - 1]
        return try content.withUnsafeBytesTyped { (bytes) throws(WriteError) in
            try body(UnsafeRawBufferPointer(rebasing: bytes[start..<ends[index]]))
        }
    }

    /// Appends to `key` the encodings of `fields` of record `index`: bytes that are equal for two
    /// records exactly when those fields' values are (the primary-key tracker of an import keys
    /// on them). `ObjectRecord.appendKeyBytes` makes the same of the same values.
    public func appendKeyBytes(ofRecord index: Int, fields: [Int], to key: inout [UInt8]) {
        let start = index == 0 ? 0 : ends[index - 1]
        content.withUnsafeBytes { bytes in
            let record = UnsafeRawBufferPointer(rebasing: bytes[start..<ends[index]])
            layout.withUnsafeBufferPointer { layout in
                for field in fields { key.append(contentsOf: RecordFields.encoding(of: field, in: record, layout: layout)) }
            }
        }
    }

    /// Record `index` as an `ObjectRecord` (for messages: it makes a value per field).
    public func record(at index: Int) -> ObjectRecord {
        let start = index == 0 ? 0 : ends[index - 1]
        var record = ObjectRecord(schema)
        content.withUnsafeBytes { bytes in
            let content = UnsafeRawBufferPointer(rebasing: bytes[start..<ends[index]])
            for (field, schema) in schema.fields.enumerated() {
                try? record.set(fieldAt: field, RecordFields.fieldValue(RecordFields.value(content, self.schema, fieldIndex: field), as: schema.type))
            }
        }
        return record
    }

    // MARK: Encoding

    private func check(_ field: Int, _ kind: Kind) throws(WriteError) {
        precondition(field >= 0 && field < kinds.count, "field \(field) of \(schema.name), which has \(kinds.count)")
        guard kinds[field] == kind else {
            throw .typeMismatch(type: schema.name, field: schema.fields[field].name, expected: schema.fields[field].type, found: "\(kind)")
        }
    }

    /// Appends the encoding of one field's value, as `ObjectRecord.encode` writes it.
    @inline(__always)
    private static func append(_ slot: Slot, nullable: Bool, rowBytes: [UInt8], to bytes: inout [UInt8]) {
        if nullable {
            if case .null = slot {
                bytes.append(0)
                return
            }
            bytes.append(1)
        }
        switch slot {
        case .null: break  // refused by `endRecord` before
        case .scalar(let value): Varint.append(value, to: &bytes)
        case .bytes(let start, let count):
            Varint.append(UInt64(count), to: &bytes)
            rowBytes.withUnsafeBytes { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[start..<(start &+ count)])) }
        }
    }
}
