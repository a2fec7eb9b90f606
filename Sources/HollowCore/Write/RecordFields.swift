/// Reads fields back out of the canonical encoding of a record (see `ObjectRecord.encoded()`), in
/// place: used by the write state's checks of references and primary keys.
enum RecordFields {
    enum Value {
        case null
        /// An integer, float bits, bool or ordinal.
        case scalar(UInt64)
        /// A string's or bytes field's bytes; valid only while the encoding they point into is.
        case bytes(UnsafeRawBufferPointer)
    }

    /// One step of a primary key's path: field `fieldIndex` of `object`, the type at `position`
    /// among the write state's types.
    struct KeyStep {
        var position: Int
        var object: ObjectSchema
        var fieldIndex: Int
        /// Per field up to `fieldIndex`: bit 0 set when nullable, bit 1 when variable-length (so
        /// that reading a key copies no `FieldSchema`).
        var kinds: [UInt8]

        init(position: Int, object: ObjectSchema, fieldIndex: Int) {
            self.position = position
            self.object = object
            self.fieldIndex = fieldIndex
            kinds = Array(RecordFields.layout(of: object)[0...fieldIndex])
        }
    }

    /// The value of the last field of `kinds` (see `KeyStep.kinds`), skipping the fields before it.
    @inline(__always)
    static func value(_ content: UnsafeRawBufferPointer, kinds: UnsafeBufferPointer<UInt8>) -> Value {
        var offset = 0
        let last = kinds.count &- 1
        for index in kinds.indices {
            let kind = kinds[index]
            if kind & 1 != 0 {
                let present = content[offset] != 0
                offset &+= 1
                if !present {
                    if index == last { return .null }
                    continue
                }
            }
            if kind & 2 != 0 {
                let length = Int(Varint.read(content, &offset))
                if index == last { return .bytes(UnsafeRawBufferPointer(rebasing: content[offset..<offset &+ length])) }
                offset &+= length
            } else {
                let scalar = Varint.read(content, &offset)
                if index == last { return .scalar(scalar) }
            }
        }
        return .null
    }

    /// Per field of `object`: bit 0 set when nullable, bit 1 when variable-length (see `KeyStep.kinds`).
    static func layout(of object: ObjectSchema) -> [UInt8] {
        object.fields.map { ($0.isNullable ? 1 : 0) | ($0.type.isVariableLength ? 2 : 0) }
    }

    /// The bytes of field `fieldIndex` in an encoding whose fields are laid out as `layout` says
    /// (see `layout(of:)`): its null flag, when nullable, and its value.
    static func encoding(of fieldIndex: Int, in content: UnsafeRawBufferPointer, layout: UnsafeBufferPointer<UInt8>) -> UnsafeRawBufferPointer {
        var offset = 0
        for index in 0...fieldIndex {
            let start = offset
            let kind = layout[index]
            var present = true
            if kind & 1 != 0 {
                present = content[offset] != 0
                offset &+= 1
            }
            if present {
                let value = Varint.read(content, &offset)
                if kind & 2 != 0 { offset &+= Int(value) }
            }
            if index == fieldIndex { return UnsafeRawBufferPointer(rebasing: content[start..<offset]) }
        }
        return UnsafeRawBufferPointer(start: nil, count: 0)
    }

    /// The field value that `value` stands for in a field of `type`.
    static func fieldValue(_ value: Value, as type: FieldType) -> FieldValue? {
        switch value {
        case .null: return nil
        case .bytes(let bytes): return type == .string ? .string(String(decoding: bytes, as: UTF8.self)) : .bytes(Array(bytes))
        case .scalar(let raw):
            switch type {
            case .int: return .int(Int32(truncatingIfNeeded: ZigZag.decode(raw)))
            case .long: return .long(ZigZag.decode(raw))
            case .float: return .float(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
            case .double: return .double(Double(bitPattern: raw))
            case .bool: return .bool(raw != 0)
            case .reference: return .reference(Int(truncatingIfNeeded: raw))
            case .string, .bytes: return nil
            }
        }
    }

    /// The value of field `fieldIndex`, skipping the fields before it.
    static func value(_ content: UnsafeRawBufferPointer, _ object: ObjectSchema, fieldIndex: Int) -> Value {
        var offset = 0
        let fields = object.fields
        for index in 0...fieldIndex {
            let field = fields[index]
            if field.isNullable {
                let present = content[offset] != 0
                offset += 1
                if !present {
                    if index == fieldIndex { return .null }
                    continue
                }
            }
            if field.type.isVariableLength {
                let length = Int(Varint.read(content, &offset))
                if index == fieldIndex { return .bytes(UnsafeRawBufferPointer(rebasing: content[offset..<offset + length])) }
                offset += length
            } else {
                let scalar = Varint.read(content, &offset)
                if index == fieldIndex { return .scalar(scalar) }
            }
        }
        return .null
    }

    static func forEachReference(_ content: UnsafeRawBufferPointer, schema: TypeSchema, _ body: (String?, String, Int) -> Void) {
        switch schema {
        case .object(let object):
            for (index, field) in object.fields.enumerated() {
                if case .reference(let target) = field.type, case .scalar(let ordinal) = value(content, object, fieldIndex: index) {
                    body(field.name, target, Int(ordinal))
                }
            }
        case .list(_, let element), .set(_, let element):
            var offset = 0
            let count = Varint.read(content, &offset)
            for _ in 0..<count { body(nil, element, Int(Varint.read(content, &offset))) }
        case .map(_, let key, let value):
            var offset = 0
            let count = Varint.read(content, &offset)
            for _ in 0..<count {
                body(nil, key, Int(Varint.read(content, &offset)))
                body(nil, value, Int(Varint.read(content, &offset)))
            }
        }
    }

    static func appendKeyBytes(path: [KeyStep], from ordinal: Int, states: [TypeWriteState], to key: inout [UInt8]) {
        var ordinal = ordinal
        for (step, keyStep) in path.enumerated() {
            guard states[keyStep.position].records.contains(ordinal) else { key.append(0); return }
            let isLast = step == path.count - 1
            let next: Int? = states[keyStep.position].records.withContent(ordinal) { content in
                let value: Value = keyStep.kinds.withUnsafeBufferPointer { kinds in RecordFields.value(content, kinds: kinds) }
                if !isLast {
                    if case .scalar(let next) = value { return Int(next) }
                    key.append(0)
                    return nil
                }
                appendKeyValue(value, to: &key)
                return nil
            }
            guard let next else { return }
            ordinal = next
        }
    }

    /// Appends the bytes that stand for the last field of a key's path: a tag, then the value.
    @inline(__always)
    static func appendKeyValue(_ value: Value, to key: inout [UInt8]) {
        switch value {
        case .null: key.append(0)
        case .scalar(let value):
            key.append(1)
            Varint.append(value, to: &key)
        case .bytes(let bytes):
            key.append(2)
            Varint.append(UInt64(bytes.count), to: &key)
            key.append(contentsOf: bytes)
        }
    }

    static func describeKey(paths: [[KeyStep]], ordinal: Int, states: [TypeWriteState]) -> String {
        let parts = paths.map { path -> String in
            let field = path.last!.object.fields[path.last!.fieldIndex]
            var text = "null"
            var current = ordinal
            for (step, keyStep) in path.enumerated() {
                guard states[keyStep.position].records.contains(current) else { break }
                let next: Int? = states[keyStep.position].records.withContent(current) { content in
                    let value = value(content, keyStep.object, fieldIndex: keyStep.fieldIndex)
                    if step < path.count - 1 {
                        if case .scalar(let next) = value { return Int(next) }
                        return nil
                    }
                    switch value {
                    case .null: text = "null"
                    case .bytes(let bytes): text = field.type == .string ? "\"\(String(decoding: bytes, as: UTF8.self))\"" : "\(bytes.count) bytes"
                    case .scalar(let raw):
                        switch field.type {
                        case .int, .long: text = String(ZigZag.decode(raw))
                        case .float: text = String(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
                        case .double: text = String(Double(bitPattern: raw))
                        case .bool: text = raw != 0 ? "true" : "false"
                        default: text = "ordinal \(raw)"
                        }
                    }
                    return nil
                }
                guard let next else { break }
                current = next
            }
            return "\(path.map { $0.object.fields[$0.fieldIndex].name }.joined(separator: "."))=\(text)"
        }
        return parts.joined(separator: ", ")
    }
}
