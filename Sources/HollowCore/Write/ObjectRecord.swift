/// The field values of one record of an object type, built before it is added to a write state.
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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16 * values.count)
        for (field, value) in zip(schema.fields, values) {
            if field.isNullable {
                bytes.append(value == nil ? 0 : 1)
                if value == nil { continue }
            }
            guard let value else { throw .missingValue(type: schema.name, field: field.name) }
            switch value {
            case .int(let number): Varint.append(ZigZag.encode(Int64(number)), to: &bytes)
            case .long(let number): Varint.append(ZigZag.encode(number), to: &bytes)
            case .float(let number): Varint.append(UInt64(number.bitPattern), to: &bytes)
            case .double(let number): Varint.append(number.bitPattern, to: &bytes)
            case .bool(let flag): Varint.append(flag ? 1 : 0, to: &bytes)
            case .string(let text):
                var text = text
                text.withUTF8 { utf8 in
                    Varint.append(UInt64(utf8.count), to: &bytes)
                    bytes.append(contentsOf: utf8)
                }
            case .bytes(let data):
                Varint.append(UInt64(data.count), to: &bytes)
                bytes.append(contentsOf: data)
            case .reference(let ordinal):
                guard ordinal >= 0 else {
                    throw .invalidReference(type: schema.name, field: field.name, ordinal: ordinal, target: field.type.description)
                }
                Varint.append(UInt64(ordinal), to: &bytes)
            }
        }
        return bytes
    }
}
