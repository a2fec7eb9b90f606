/// Reads fields back out of the canonical encoding of a record (see `ObjectRecord.encoded()`):
/// used by the write state's checks of references and primary keys.
enum RecordFields {
    enum Value {
        case null
        /// An integer, float bits, bool or ordinal.
        case scalar(UInt64)
        case bytes(ArraySlice<UInt8>)
    }

    static func values(_ content: [UInt8], _ object: ObjectSchema) -> [Value] {
        content.withUnsafeBytes { bytes in
            var offset = 0
            var result: [Value] = []
            result.reserveCapacity(object.fields.count)
            for field in object.fields {
                if field.isNullable {
                    let present = bytes[offset] != 0
                    offset += 1
                    if !present {
                        result.append(.null)
                        continue
                    }
                }
                if field.type.isVariableLength {
                    let length = Int(Varint.read(bytes, &offset))
                    result.append(.bytes(content[offset..<offset + length]))
                    offset += length
                } else {
                    result.append(.scalar(Varint.read(bytes, &offset)))
                }
            }
            return result
        }
    }

    static func forEachReference(_ content: [UInt8], schema: TypeSchema, _ body: (String?, String, Int) -> Void) {
        switch schema {
        case .object(let object):
            for (field, value) in zip(object.fields, values(content, object)) {
                if case .reference(let target) = field.type, case .scalar(let ordinal) = value { body(field.name, target, Int(ordinal)) }
            }
        case .list(_, let element), .set(_, let element):
            content.withUnsafeBytes { bytes in
                var offset = 0
                let count = Varint.read(bytes, &offset)
                for _ in 0..<count { body(nil, element, Int(Varint.read(bytes, &offset))) }
            }
        case .map(_, let key, let value):
            content.withUnsafeBytes { bytes in
                var offset = 0
                let count = Varint.read(bytes, &offset)
                for _ in 0..<count {
                    body(nil, key, Int(Varint.read(bytes, &offset)))
                    body(nil, value, Int(Varint.read(bytes, &offset)))
                }
            }
        }
    }

    /// The value at the end of a key path, starting from record `ordinal` of the path's first type.
    static func resolve(path: [(type: ObjectSchema, fieldIndex: Int)], from ordinal: Int, types: [String: TypeWriteState]) -> Value {
        var ordinal = ordinal
        for (step, (object, fieldIndex)) in path.enumerated() {
            guard let content = types[object.name]?.content(ordinal) else { return .null }
            let value = values(content, object)[fieldIndex]
            if step == path.count - 1 { return value }
            guard case .scalar(let next) = value else { return .null }
            ordinal = Int(next)
        }
        return .null
    }

    static func appendKeyBytes(path: [(type: ObjectSchema, fieldIndex: Int)], from ordinal: Int,
                               types: [String: TypeWriteState], to key: inout [UInt8]) {
        switch resolve(path: path, from: ordinal, types: types) {
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

    static func describeKey(paths: [[(type: ObjectSchema, fieldIndex: Int)]], ordinal: Int, types: [String: TypeWriteState]) -> String {
        let parts = paths.map { path -> String in
            let field = path.last!.type.fields[path.last!.fieldIndex]
            let text: String
            switch resolve(path: path, from: ordinal, types: types) {
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
            return "\(path.map { $0.type.fields[$0.fieldIndex].name }.joined(separator: "."))=\(text)"
        }
        return parts.joined(separator: ", ")
    }
}
