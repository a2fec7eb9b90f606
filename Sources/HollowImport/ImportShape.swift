import HollowCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The schema compiled for reading text: per type, how a value of it is written in a source file.
/// Types refer to each other by position, so a schema's cycles of references need no recursion here.
struct ImportShape: Sendable {
    /// What a value read for one field (or one element, key or value of a collection) becomes.
    enum Value: Sendable, Equatable {
        case int, long, float, double, bool, string, bytes
        /// A record of the type at this position in `types`, added to the write state.
        case record(Int)

        var isScalar: Bool { if case .record = self { false } else { true } }
    }

    struct Field: Sendable {
        /// The field's name in the schema (errors use it).
        let name: String
        /// What sources call it: the JSON key or the column of a header (the schema's name unless
        /// the importer was given another).
        let sourceName: String
        let nameBytes: [UInt8]
        let value: Value
        let isNullable: Bool
    }

    /// A class, so that the readers pass it around with one reference count, not one per array.
    final class Object: Sendable {
        let schema: ObjectSchema
        let fields: [Field]
        /// A record of a type with one scalar field may be written as that field's value alone:
        /// `"country": "NL"` for `type Country { code: string }`.
        let shorthand: Value?
        /// Positions of the primary key's fields when each is a field of the record itself.
        let ownKeyFields: [Int]?

        init(schema: ObjectSchema, fields: [Field], ownKeyFields: [Int]?) {
            self.schema = schema
            self.fields = fields
            self.ownKeyFields = ownKeyFields
            shorthand = fields.count == 1 && fields[0].value.isScalar ? fields[0].value : nil
        }

        /// The field whose source name is `name` (a header's column).
        func fieldIndex(sourceName name: String) -> Int? { fields.firstIndex { $0.sourceName == name } }

        /// The field whose source name is `bytes`; `hint` (the field after the last one read) is
        /// tried first, as keys usually come in the same order on every line.
        func fieldIndex(_ bytes: UnsafeRawBufferPointer, hint: Int) -> Int? {
            if hint < fields.count, Self.same(fields[hint].nameBytes, bytes) { return hint }
            return fields.firstIndex { Self.same($0.nameBytes, bytes) }
        }

        private static func same(_ name: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
            guard name.count == bytes.count else { return false }
            guard !bytes.isEmpty else { return true }
            return name.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
        }
    }

    enum Kind: Sendable {
        case object(Object)
        case list(element: Value)
        case set(element: Value)
        case map(key: Value, value: Value)
    }

    final class TypeShape: Sendable {
        let name: String
        let kind: Kind

        init(name: String, kind: Kind) {
            self.name = name
            self.kind = kind
        }
    }

    let schema: Schema
    let types: [TypeShape]
    private let positions: [String: Int]

    /// `sourceNames`: per object type, field name to the name sources give it (checked by
    /// `RecordImporter`).
    init(_ schema: Schema, sourceNames: [String: [String: String]] = [:]) {
        self.schema = schema
        var positions: [String: Int] = [:]
        for (position, type) in schema.types.enumerated() { positions[type.name] = position }
        self.positions = positions
        func value(_ type: FieldType) -> Value {
            switch type {
            case .int: .int
            case .long: .long
            case .float: .float
            case .double: .double
            case .bool: .bool
            case .string: .string
            case .bytes: .bytes
            case .reference(let target): .record(positions[target]!)
            }
        }
        types = schema.types.map { type in
            switch type {
            case .object(let object):
                let renamed = sourceNames[object.name] ?? [:]
                let fields = object.fields.map { field in
                    let sourceName = renamed[field.name] ?? field.name
                    return Field(name: field.name, sourceName: sourceName, nameBytes: Array(sourceName.utf8), value: value(field.type),
                                 isNullable: field.isNullable)
                }
                var ownKeyFields: [Int]?
                if let key = object.primaryKey, key.allSatisfy({ !$0.contains(".") }) {
                    ownKeyFields = key.compactMap { object.fieldIndex($0) }
                }
                return TypeShape(name: object.name, kind: .object(Object(schema: object, fields: fields, ownKeyFields: ownKeyFields)))
            case .list(let name, let element):
                return TypeShape(name: name, kind: .list(element: .record(positions[element]!)))
            case .set(let name, let element):
                return TypeShape(name: name, kind: .set(element: .record(positions[element]!)))
            case .map(let name, let key, let mapValue):
                return TypeShape(name: name, kind: .map(key: .record(positions[key]!), value: .record(positions[mapValue]!)))
            }
        }
    }

    func position(of name: String) -> Int? { positions[name] }

    func object(at position: Int) -> Object? {
        if case .object(let object) = types[position].kind { object } else { nil }
    }

    /// How a value of this shape is named in messages: `int`, `a Person record`, `a Cast list`.
    func describe(_ value: Value) -> String {
        switch value {
        case .int: "an int"
        case .long: "a long"
        case .float: "a float"
        case .double: "a double"
        case .bool: "a bool"
        case .string: "a string"
        case .bytes: "bytes (base64 text)"
        case .record(let position):
            switch types[position].kind {
            case .object(let object):
                if let shorthand = object.shorthand { "a \(object.schema.name) object (or \(describe(shorthand)))" } else { "a \(object.schema.name) object" }
            case .list: "a \(types[position].name) array"
            case .set: "a \(types[position].name) array"
            case .map: "a \(types[position].name) object or array of [key, value] pairs"
            }
        }
    }
}
