/// Which changes of a type between two states a delta can carry: adding or removing fields (the
/// type then travels whole), and adding or removing whole types. Changing a field's type or
/// nullability, a collection's element types, a type's kind or its primary key is refused.
enum SchemaChange {
    /// The reason `old` cannot become `new`, or nil when the change is allowed.
    static func problem(from old: TypeSchema, to new: TypeSchema) -> SchemaError? {
        switch (old, new) {
        case (.object(let before), .object(let after)):
            // By name, so that comparing types of many fields stays linear (schemas come from blobs).
            let previousFields = Dictionary(before.fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for field in after.fields {
                guard let previous = previousFields[field.name] else { continue }
                if previous.type != field.type {
                    return .incompatibleChange(type: after.name, field: field.name, message: "type changes from \(previous.type) to \(field.type)")
                }
                if previous.isNullable != field.isNullable {
                    return .incompatibleChange(type: after.name, field: field.name,
                                               message: field.isNullable ? "becomes nullable" : "is no longer nullable")
                }
            }
            if before.primaryKey != after.primaryKey {
                return .incompatibleChange(type: after.name, field: nil, message: "the primary key changes")
            }
            return nil
        case (.list(_, let a), .list(_, let b)) where a == b: return nil
        case (.set(_, let a), .set(_, let b)) where a == b: return nil
        case (.map(_, let k1, let v1), .map(_, let k2, let v2)) where k1 == k2 && v1 == v2: return nil
        default:
            return .incompatibleChange(type: new.name, field: nil, message: "changes from \(old.kindName) \(describe(old)) to \(new.kindName) \(describe(new))")
        }
    }

    private static func describe(_ type: TypeSchema) -> String {
        switch type {
        case .object: "type"
        case .list(_, let element), .set(_, let element): "of \(element)"
        case .map(_, let key, let value): "of \(key) to \(value)"
        }
    }
}
