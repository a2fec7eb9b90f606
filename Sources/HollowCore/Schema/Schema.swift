/// The types of a dataset. A valid schema has unique type and field names, refers only to its own
/// types, has no reference cycles (so that no decode can recurse without end) and primary keys that
/// resolve to fields. `types` is kept in dependency order: every type comes after the types it uses.
///
/// Parse one from its text form with ``init(parsing:)`` (<doc:SchemaTextForm>), or build one from
/// ``TypeSchema`` values with ``init(_:)``; ``description`` prints the canonical text form.
public struct Schema: Hashable, Sendable {
    public let types: [TypeSchema]
    private let positions: [String: Int]
    /// Per object type, the index of each field by name: resolving a key path costs one look-up
    /// per step, even for a schema read from a blob that declares thousands of fields and paths.
    private let fieldPositions: [String: [String: Int]]

    public init(_ types: [TypeSchema]) throws(SchemaError) {
        guard types.count <= Schema.maximumTypes else {
            throw .invalid(type: types[Schema.maximumTypes].name, field: nil, message: "\(types.count) types, at most \(Schema.maximumTypes)")
        }
        var byName: [String: TypeSchema] = [:]
        for type in types {
            try Schema.checkIdentifier(type.name, type: type.name, field: nil)
            guard !Schema.reservedWords.contains(type.name) else {
                throw .invalid(type: type.name, field: nil, message: "'\(type.name)' is a reserved word of the schema text form and cannot name a type")
            }
            guard byName.updateValue(type, forKey: type.name) == nil else {
                throw .invalid(type: type.name, field: nil, message: "the type is declared twice")
            }
        }
        for type in types { try Schema.check(type, in: byName) }
        let ordered = try Schema.dependencyOrder(types, byName)
        self.types = ordered
        positions = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1.name, $0) })
        var fieldPositions: [String: [String: Int]] = [:]
        for case .object(let object) in ordered {
            fieldPositions[object.name] = Dictionary(object.fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        }
        self.fieldPositions = fieldPositions
        // Every blob carries the schema's text: it must fit the reader's limit.
        let textBytes = description.utf8.count
        guard textBytes <= Schema.maximumTextBytes else {
            throw .invalid(type: ordered.last?.name ?? "", field: nil,
                           message: "the schema's text form takes \(textBytes) bytes, at most \(Schema.maximumTextBytes)")
        }
        for case .object(let object) in ordered {
            if let key = object.primaryKey {
                for path in key { _ = try resolve(path: path, from: object.name) }
            }
        }
    }

    /// The most columns an object type's records may have (<doc:BlobFormat>).
    public static let maximumColumns = 255
    /// The most types a schema may declare: a blob has a section per type.
    public static let maximumTypes = 1 << 16
    /// The longest text form a schema may have: every blob carries it.
    public static let maximumTextBytes = 16 << 20

    public subscript(name: String) -> TypeSchema? { positions[name].map { types[$0] } }

    public func object(_ name: String) -> ObjectSchema? {
        if case .object(let object)? = self[name] { object } else { nil }
    }

    /// Resolves a dotted field path from an object type: the fields crossed, the last one a leaf.
    public func resolve(path: String, from typeName: String) throws(SchemaError) -> [(type: ObjectSchema, fieldIndex: Int)] {
        var steps: [(type: ObjectSchema, fieldIndex: Int)] = []
        var current = typeName
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for (position, part) in parts.enumerated() {
            guard let object = object(current) else {
                throw .invalid(type: typeName, field: path, message: "'\(current)' is not an object type, the path cannot go through it")
            }
            guard let index = fieldPositions[object.name]?[part] else {
                throw .invalid(type: typeName, field: path, message: "\(object.name) has no field '\(part)'")
            }
            steps.append((object, index))
            if position < parts.count - 1 {
                guard case .reference(let target) = object.fields[index].type else {
                    throw .invalid(type: typeName, field: path, message: "'\(part)' is not a reference, the path cannot continue past it")
                }
                current = target
            }
        }
        return steps
    }

    /// Keywords and primitive type names of the text form: a type named so could not be printed
    /// and parsed back (`x: int` always means the primitive).
    static let reservedWords: Set<String> = [
        "type", "list", "set", "map", "key", "of", "to",
        "int", "long", "float", "double", "bool", "string", "bytes",
    ]

    static func checkIdentifier(_ name: String, type: String, field: String?) throws(SchemaError) {
        let bytes = Array(name.utf8)
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte == 0x5F }
        guard let first = bytes.first, isLetter(first),
              bytes.allSatisfy({ isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }), bytes.count <= 255
        else {
            throw .invalid(type: type, field: field, message: "'\(name)' is not a valid name (letters, digits and _, not starting with a digit, at most 255)")
        }
    }

    private static func check(_ type: TypeSchema, in byName: [String: TypeSchema]) throws(SchemaError) {
        func requireType(_ name: String, field: String?) throws(SchemaError) {
            guard byName[name] != nil else {
                throw .invalid(type: type.name, field: field, message: "refers to the missing type '\(name)'")
            }
        }
        switch type {
        case .object(let object):
            var seen = Set<String>()
            for field in object.fields {
                try checkIdentifier(field.name, type: object.name, field: field.name)
                guard seen.insert(field.name).inserted else {
                    throw .invalid(type: object.name, field: field.name, message: "the field is declared twice")
                }
                if case .reference(let target) = field.type { try requireType(target, field: field.name) }
            }
            // A record's columns (a value, plus a null flag when nullable) are counted in one byte.
            let columns = object.fields.count + object.fields.filter(\.isNullable).count
            guard columns <= Schema.maximumColumns else {
                throw .invalid(type: object.name, field: nil,
                               message: "\(object.fields.count) fields make \(columns) columns, at most \(Schema.maximumColumns) (a nullable field takes two)")
            }
            if let key = object.primaryKey, key.isEmpty {
                throw .invalid(type: object.name, field: nil, message: "a primary key needs at least one field")
            }
        case .list(_, let element), .set(_, let element):
            try requireType(element, field: nil)
        case .map(_, let key, let value):
            try requireType(key, field: nil)
            try requireType(value, field: nil)
        }
    }

    /// Orders types so that each follows the types it refers to; refuses reference cycles.
    /// Depth-first with an explicit stack: a recursive walk overflows the thread's stack on a long
    /// chain of references (a few thousand types), and a schema can come from outside.
    private static func dependencyOrder(_ types: [TypeSchema], _ byName: [String: TypeSchema]) throws(SchemaError) -> [TypeSchema] {
        var ordered: [TypeSchema] = []
        var done = Set<String>()
        var onPath = Set<String>()
        // The current path: each type with the references it uses and the next one to follow.
        var stack: [(type: TypeSchema, targets: [String], next: Int)] = []
        for root in types where !done.contains(root.name) {
            stack.append((root, root.referencedTypes, 0))
            onPath.insert(root.name)
            while let top = stack.last {
                guard top.next < top.targets.count else {
                    stack.removeLast()
                    onPath.remove(top.type.name)
                    done.insert(top.type.name)
                    ordered.append(top.type)
                    continue
                }
                stack[stack.count - 1].next += 1
                let target = top.targets[top.next]
                if done.contains(target) { continue }
                if onPath.contains(target) {
                    let path = stack.map(\.type.name)
                    let cycle = (path.drop { $0 != target } + [target]).joined(separator: " -> ")
                    throw .invalid(type: target, field: nil, message: "reference cycle \(cycle)")
                }
                let type = byName[target]!
                stack.append((type, type.referencedTypes, 0))
                onPath.insert(target)
            }
        }
        return ordered
    }
}
