import CatalogFixture
import HollowCore

/// A row of a real dataset: a plain Swift struct with a unique name (the primary key) and a version
/// (the field the second cycle changes, and the string the lookups read).
public protocol RealDataRow: Sendable, Equatable {
    var name: String { get set }
    var version: String { get set }
}

/// How the string fields with few distinct values are modelled.
public enum Mapping: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Every field a `string` of the record: what a user writes first.
    case plain
    /// The repeated-value fields (version, month, section, priority, architecture, maintainer) as
    /// references to a one-field type of their own (`type Version { value: string }`), so that each
    /// distinct value is stored once and a record holds its ordinal.
    case shared

    public var description: String { rawValue }
}

/// One real dataset as a Hollow data model: its parser, its schema in both mappings, how its rows
/// go into a write state and come back out of a read state.
public protocol RealDataModel {
    associatedtype Row: RealDataRow
    static var dataset: Dataset { get }
    /// The object type of the rows (the one with the primary key `name`).
    static var recordType: String { get }
    /// The fields that `Mapping.shared` turns into references, with the name of their type.
    static var sharedFields: [(field: String, type: String)] { get }
    static func parse(_ text: [UInt8], file: String) throws -> [Row]
    static func schemaText(_ mapping: Mapping) -> String
    /// Adds every row to the cycle under way.
    static func populate(_ state: WriteState, with rows: [Row], mapping: Mapping) throws
    /// A function that reads the record at an ordinal back into a row.
    static func rowReader(_ state: ReadState, mapping: Mapping) throws -> (Int) -> Row
    /// The version the second cycle gives a changed row.
    static func bumped(_ version: String) -> String

    /// The number field of the two-field scan (the other is the version).
    static var scanNumberField: String { get }
    /// The two-field scan of the read state (`scanLongPlain` and the like).
    static func scan(_ fields: ScanFields, _ mapping: Mapping) -> Int
    /// The baseline's lookups and scan, on the concrete Dictionary type.
    static func lookupVersion(_ dictionary: [String: Row], _ keys: [String], from start: Int, count: Int) -> (sum: Int, next: Int)
    static func scanTwoFields(_ dictionary: [String: Row]) -> Int
}

extension RealDataModel {
    /// Lookups of the version in the read state, in the mapping's way.
    public static func lookupVersion(_ lookup: VersionLookup, _ mapping: Mapping, _ keys: [String], from start: Int, count: Int) -> (sum: Int, next: Int) {
        switch mapping {
        case .plain: lookupVersionPlain(lookup, keys, from: start, count: count)
        case .shared: lookupVersionShared(lookup, keys, from: start, count: count)
        }
    }

    public static func schema(_ mapping: Mapping) throws -> Schema { try Schema(parsing: schemaText(mapping)) }

    /// The one-field types of the shared mapping, declared before the types that refer to them.
    static func sharedTypeDeclarations(_ mapping: Mapping) -> String {
        guard mapping == .shared else { return "" }
        return sharedFields.map { "type \($0.type) { value: string }\n" }.joined()
    }

    /// The schema type of field `field`: `string`, or its one-field type in the shared mapping.
    static func stringType(_ field: String, _ mapping: Mapping) -> String {
        guard mapping == .shared, let shared = sharedFields.first(where: { $0.field == field }) else { return "string" }
        return shared.type
    }
}

/// A string field of the record type, read in either mapping: in place, or through the reference
/// to its one-field type. For checks and for the verify mode, not for the timed loops.
public struct StringColumn {
    public let records: ObjectTypeReadState
    public let field: FieldHandle
    /// The one-field type and its `value` field, when the field is a reference.
    public let shared: (values: ObjectTypeReadState, value: FieldHandle)?

    public init(_ state: ReadState, type: String, field name: String) throws {
        guard let records = state.objectType(type), let field = records.field(name) else {
            throw FixtureError("the state has no field \(type).\(name)")
        }
        self.records = records
        self.field = field
        if case .reference(let target) = field.type {
            guard let values = state.objectType(target), let value = values.field("value") else {
                throw FixtureError("the state has no field \(target).value")
            }
            shared = (values, value)
        } else {
            shared = nil
        }
    }

    public func string(_ ordinal: Int) -> String? {
        guard let shared else { return records.string(ordinal, field) }
        return records.reference(ordinal, field).flatMap { shared.values.string($0, shared.value) }
    }
}

/// Sets a string field of a record in either mapping: the string itself, or a reference to the
/// record of its one-field type (added to the write state, which deduplicates it).
struct StringSetter {
    let field: Int
    /// The one-field type's record, reused for every value.
    var shared: ObjectRecord?

    init(_ schema: Schema, type: String, field name: String) throws {
        guard let object = schema.object(type), let index = object.fieldIndex(name) else {
            throw FixtureError("the schema has no field \(type).\(name)")
        }
        field = index
        if case .reference(let target) = object.fields[index].type {
            guard let values = schema.object(target) else { throw FixtureError("the schema has no type \(target)") }
            shared = ObjectRecord(values)
        }
    }

    mutating func set(_ record: inout ObjectRecord, _ text: String, _ state: WriteState) throws {
        if shared == nil {
            try record.set(fieldAt: field, .string(text))
        } else {
            try shared!.set(fieldAt: 0, .string(text))
            try record.set(fieldAt: field, .reference(try state.add(shared!)))
        }
    }
}

func fieldIndex(_ schema: Schema, _ type: String, _ name: String) throws -> Int {
    guard let index = schema.object(type)?.fieldIndex(name) else { throw FixtureError("the schema has no field \(type).\(name)") }
    return index
}
