import HollowCore

/// A record's primary key, read by following the key's paths (`director.name`).
enum RecordKey {
    /// The key's values, as a primary key index takes them; nil when a path cannot be followed or
    /// ends at a reference.
    static func values(_ key: [String], type: String, ordinal: Int, in state: ReadState) -> [FieldValue?]? {
        var values: [FieldValue?] = []
        for path in key {
            guard let (records, record, field) = resolve(path, type: type, ordinal: ordinal, in: state) else { return nil }
            if records.isNull(record, field) { values.append(nil); continue }
            switch field.type {
            case .int: values.append(.int(records.int(record, field)!))
            case .long: values.append(.long(records.long(record, field)!))
            case .float: values.append(.float(records.float(record, field)!))
            case .double: values.append(.double(records.double(record, field)!))
            case .bool: values.append(.bool(records.bool(record, field)!))
            case .string: values.append(.string(records.string(record, field)!))
            case .bytes: values.append(.bytes(records.bytes(record, field)!))
            case .reference: return nil
            }
        }
        return values
    }

    /// The key as text, one `path=value` per key field (the value as JSON, `?` when the path
    /// cannot be followed).
    static func text(_ key: [String], type: String, ordinal: Int, in state: ReadState) -> [String] {
        key.map { path in
            guard let (records, record, field) = resolve(path, type: type, ordinal: ordinal, in: state) else { return "\(path)=?" }
            return "\(path)=\(RecordJSON(state: state).field(records.name, record, field))"
        }
    }

    /// The record and field a dotted path ends at, following references from record `ordinal`.
    private static func resolve(_ path: String, type: String, ordinal: Int, in state: ReadState) -> (ObjectTypeReadState, Int, FieldHandle)? {
        var records = state.objectType(type)
        var record = ordinal
        let parts = path.split(separator: ".").map(String.init)
        for (position, part) in parts.enumerated() {
            guard let current = records, let field = current.field(part) else { return nil }
            if position == parts.count - 1 { return (current, record, field) }
            guard case .reference(let target) = field.type, let next = current.reference(record, field) else { return nil }
            records = state.objectType(target)
            record = next
        }
        return nil
    }
}
