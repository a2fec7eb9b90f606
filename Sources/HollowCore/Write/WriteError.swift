/// Why a record or a cycle was refused by the write state.
public enum WriteError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownType(String)
    /// The type exists but is of another kind (a list given to `add(_: ObjectRecord)`, say).
    case wrongKind(type: String, expected: String)
    case unknownField(type: String, field: String)
    case typeMismatch(type: String, field: String, expected: FieldType, found: String)
    /// A field that is not nullable was left without a value.
    case missingValue(type: String, field: String)
    /// A reference to an ordinal that was not added to its type in this cycle.
    case invalidReference(type: String, field: String?, ordinal: Int, target: String)
    /// Two entries of one map share a key.
    case duplicateMapKey(type: String, key: Int)
    /// Two different records of a type share a primary key.
    case duplicatePrimaryKey(type: String, key: String)
    case tooManyRecords(type: String)
    /// The lists, sets or maps (or the string or bytes values) of a type hold more elements than
    /// a pool can (`TypeData.maximumPoolElementCount`).
    case tooManyElements(type: String)
    case schema(SchemaError)

    public var description: String {
        switch self {
        case .unknownType(let type): "the schema has no type '\(type)'"
        case .wrongKind(let type, let expected): "'\(type)' is not \(expected)"
        case .unknownField(let type, let field): "\(type) has no field '\(field)'"
        case .typeMismatch(let type, let field, let expected, let found): "\(type).\(field) is \(expected), given a \(found)"
        case .missingValue(let type, let field): "\(type).\(field) is not nullable and has no value"
        case .invalidReference(let type, let field, let ordinal, let target):
            "\(type)\(field.map { ".\($0)" } ?? "") refers to \(target) ordinal \(ordinal), which was not added in this cycle"
        case .duplicateMapKey(let type, let key): "\(type): key ordinal \(key) appears twice in one map"
        case .duplicatePrimaryKey(let type, let key): "\(type): two records share the primary key \(key)"
        case .tooManyRecords(let type): "\(type): more than \(TypeData.maximumOrdinalCount) records"
        case .tooManyElements(let type): "\(type): more than \(TypeData.maximumPoolElementCount) elements (or bytes) in all its records together; split the type"
        case .schema(let error): error.description
        }
    }
}
