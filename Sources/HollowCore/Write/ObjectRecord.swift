/// The field values of one record of an object type, built before it is added to a write state.
///
/// A loop that adds many records of one type (an importer, say) may keep one `ObjectRecord` and set
/// every field again before each `WriteState.add`: the add copies what it keeps (the record's
/// canonical encoding), so the record's storage is reused instead of allocated per record.
public struct ObjectRecord: Sendable {
    public let schema: ObjectSchema
    public private(set) var values: [FieldValue?]

    public init(_ schema: ObjectSchema) {
        self.schema = schema
        values = Array(repeating: nil, count: schema.fields.count)
    }

    /// Sets (or clears, with nil) the field named `name`, checking its type.
    public mutating func set(_ name: String, _ value: FieldValue?) throws(WriteError) {
        guard let index = schema.fieldIndex(name) else { throw .unknownField(type: schema.name, field: name) }
        try set(fieldAt: index, value)
    }

    public mutating func set(fieldAt index: Int, _ value: FieldValue?) throws(WriteError) {
        let field = schema.fields[index]
        if let value, !value.matches(field.type) {
            throw .typeMismatch(type: schema.name, field: field.name, expected: field.type, found: value.kindName)
        }
        values[index] = value
    }

    public subscript(name: String) -> FieldValue? {
        schema.fieldIndex(name).flatMap { values[$0] }
    }

    /// The canonical encoding: identical records, and only they, encode to identical bytes.
    func encoded() throws(WriteError) -> [UInt8] {
        let bound = encodedByteBound
        var bytes = [UInt8](repeating: 0, count: bound)
        var failure: WriteError?
        let count = bytes.withUnsafeMutableBytes { buffer in
            var writer = EncodingWriter(buffer)
            do throws(WriteError) { try encode(into: &writer) } catch { failure = error }
            return writer.count
        }
        if let failure { throw failure }
        bytes.removeLast(bound - count)
        return bytes
    }

    /// Appends to `key` the encodings of `fields`: bytes that are equal for two records exactly
    /// when those fields' values are, the same `ObjectRecordBatch.appendKeyBytes` makes. Each
    /// field is encoded alone (the rest of the record is not). A field that is not nullable must
    /// have a value.
    public func appendKeyBytes(fields: [Int], to key: inout [UInt8]) throws(WriteError) {
        for index in fields {
            let bound: Int
            switch values[index] {
            case .string(let text)?: bound = 1 &+ EncodingWriter.maximumVarintBytes &+ text.utf8.count
            case .bytes(let data)?: bound = 1 &+ EncodingWriter.maximumVarintBytes &+ data.count
            default: bound = 1 &+ EncodingWriter.maximumVarintBytes
            }
            try withUnsafeTemporaryAllocation(byteCount: bound, alignment: 8) { (buffer) throws(WriteError) in
                var writer = EncodingWriter(buffer)
                try encode(fieldAt: index, into: &writer)
                key.append(contentsOf: writer.bytes)
            }
        }
    }

    /// At least the bytes of the canonical encoding.
    var encodedByteBound: Int {
        var bound = values.count  // null flags
        for value in values {
            switch value {
            case .string(let text)?: bound &+= EncodingWriter.maximumVarintBytes &+ text.utf8.count
            case .bytes(let data)?: bound &+= EncodingWriter.maximumVarintBytes &+ data.count
            default: bound &+= EncodingWriter.maximumVarintBytes
            }
        }
        return bound
    }

    /// Writes the canonical encoding (at most `encodedByteBound` bytes).
    func encode(into writer: inout EncodingWriter) throws(WriteError) {
        for index in values.indices { try encode(fieldAt: index, into: &writer) }
    }

    /// Writes the encoding of one field: its null flag when nullable, then its value.
    private func encode(fieldAt index: Int, into writer: inout EncodingWriter) throws(WriteError) {
        let field = schema.fields[index]
        let value = values[index]
        if field.isNullable {
            writer.byte(value == nil ? 0 : 1)
            if value == nil { return }
        }
        guard let value else { throw .missingValue(type: schema.name, field: field.name) }
        switch value {
        case .int(let number): writer.varint(ZigZag.encode(Int64(number)))
        case .long(let number): writer.varint(ZigZag.encode(number))
        case .float(let number): writer.varint(UInt64(number.bitPattern))
        case .double(let number): writer.varint(number.bitPattern)
        case .bool(let flag): writer.varint(flag ? 1 : 0)
        case .string(let text):
            var text = text
            text.withUTF8 { utf8 in
                writer.varint(UInt64(utf8.count))
                writer.bytes(UnsafeRawBufferPointer(utf8))
            }
        case .bytes(let data):
            writer.varint(UInt64(data.count))
            data.withUnsafeBytes { writer.bytes($0) }
        case .reference(let ordinal):
            guard ordinal >= 0 else {
                throw .invalidReference(type: schema.name, field: field.name, ordinal: ordinal, target: field.type.description)
            }
            writer.varint(UInt64(ordinal))
        }
    }
}
