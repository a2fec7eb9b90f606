import PropertyBased

@testable import HollowCore

/// Random valid schemas: unique valid names, references only to earlier types (so no cycles),
/// primary keys that follow references, declared in shuffled order.
enum RandomSchema {
    static let generator = Generator<[TypeSchema], Shrink.None<[TypeSchema]>>(run: { rng in make(using: &rng) })

    static let reserved: Set<String> = ["type", "list", "set", "map", "key", "of", "to", "int", "long", "float", "double", "bool", "string", "bytes"]
    /// Field names that are keywords elsewhere in the grammar.
    static let trickyFieldNames = ["key", "type", "of", "to", "list", "set", "map", "int", "string", "bytes", "_", "A"]
    static let primitives: [FieldType] = [.int, .long, .float, .double, .bool, .string, .bytes]

    static func identifier(using rng: inout some RandomNumberGenerator) -> String {
        let first = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
        let rest = first + Array("0123456789")
        var name = String(first.randomElement(using: &rng)!)
        for _ in 0..<Int.random(in: 0...(Bool.random(using: &rng) ? 3 : 12), using: &rng) {
            name.append(rest.randomElement(using: &rng)!)
        }
        return name
    }

    static func make(using rng: inout some RandomNumberGenerator) -> [TypeSchema] {
        var types: [TypeSchema] = []
        var used = Set<String>()
        let count = Int.random(in: 1...10, using: &rng)
        for _ in 0..<count {
            var name = identifier(using: &rng)
            while used.contains(name) || reserved.contains(name) { name = identifier(using: &rng) }
            used.insert(name)
            let kind = types.isEmpty ? 0 : Int.random(in: 0...9, using: &rng)
            switch kind {
            case 7: types.append(.list(name: name, element: types.randomElement(using: &rng)!.name))
            case 8: types.append(.set(name: name, element: types.randomElement(using: &rng)!.name))
            case 9:
                types.append(.map(name: name, key: types.randomElement(using: &rng)!.name,
                                  value: types.randomElement(using: &rng)!.name))
            default:
                types.append(.object(makeObject(name, earlier: types, using: &rng)))
            }
        }
        types.shuffle(using: &rng)
        return types
    }

    static func makeObject(_ name: String, earlier: [TypeSchema], using rng: inout some RandomNumberGenerator) -> ObjectSchema {
        var fields: [FieldSchema] = []
        var fieldNames = Set<String>()
        for _ in 0..<Int.random(in: 0...7, using: &rng) {
            var fieldName = Int.random(in: 0..<4, using: &rng) == 0
                ? trickyFieldNames.randomElement(using: &rng)! : identifier(using: &rng)
            while fieldNames.contains(fieldName) { fieldName = identifier(using: &rng) }
            fieldNames.insert(fieldName)
            let type: FieldType = !earlier.isEmpty && Bool.random(using: &rng)
                ? .reference(earlier.randomElement(using: &rng)!.name)
                : primitives.randomElement(using: &rng)!
            fields.append(FieldSchema(fieldName, type, nullable: Bool.random(using: &rng)))
        }
        var key: [String]?
        if !fields.isEmpty && Int.random(in: 0..<3, using: &rng) == 0 {
            // Keys end at a leaf (a path that stops at a reference is dropped).
            let paths = (0..<Int.random(in: 1...3, using: &rng)).compactMap { _ in
                keyPath(fields, earlier: earlier, using: &rng)
            }
            if !paths.isEmpty { key = paths }
        }
        return ObjectSchema(name, fields: fields, primaryKey: key)
    }

    /// A path that starts at one of `fields` and follows references to object types at random;
    /// nil if it ends at a reference.
    static func keyPath(_ fields: [FieldSchema], earlier: [TypeSchema], using rng: inout some RandomNumberGenerator) -> String? {
        var fields = fields
        var parts: [String] = []
        while true {
            let field = fields.randomElement(using: &rng)!
            parts.append(field.name)
            guard case .reference(let target) = field.type,
                  case .object(let next)? = earlier.first(where: { $0.name == target }),
                  !next.fields.isEmpty, Bool.random(using: &rng)
            else {
                if case .reference = field.type { return nil }
                break
            }
            fields = next.fields
        }
        return parts.joined(separator: ".")
    }
}
