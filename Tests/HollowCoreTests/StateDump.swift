@testable import HollowCore

/// A logical picture of a read state, for comparing states reached by different paths: per type,
/// per populated ordinal, every value as text.
struct StateDump: Equatable, CustomStringConvertible {
    var types: [String: [Int: String]]

    init(_ state: ReadState) {
        types = [:]
        for type in state.schema.types {
            var records: [Int: String] = [:]
            switch type {
            case .object:
                let reader = state.objectType(type.name)!
                for ordinal in reader.ordinals {
                    records[ordinal] = reader.fields.map { field in
                        if reader.isNull(ordinal, field) { return "\(field.name)=null" }
                        let value: String = switch field.type {
                        case .int: "\(reader.int(ordinal, field)!)"
                        case .long: "\(reader.long(ordinal, field)!)"
                        case .float: "\(reader.float(ordinal, field)!.bitPattern)"
                        case .double: "\(reader.double(ordinal, field)!.bitPattern)"
                        case .bool: "\(reader.bool(ordinal, field)!)"
                        case .string: "\"\(reader.string(ordinal, field)!)\""
                        case .bytes: "\(reader.bytes(ordinal, field)!)"
                        case .reference: "#\(reader.reference(ordinal, field)!)"
                        }
                        return "\(field.name)=\(value)"
                    }.joined(separator: " ")
                }
            case .list:
                let reader = state.listType(type.name)!
                for ordinal in reader.ordinals { records[ordinal] = "\(reader.elements(ordinal))" }
            case .set, .map:
                let reader = state.hashedType(type.name)!
                for ordinal in reader.ordinals {
                    let entries = reader.entries(ordinal).sorted { $0.key < $1.key }
                    records[ordinal] = entries.map { "\($0.key):\($0.value)" }.joined(separator: ",") + " count=\(reader.count(ordinal))"
                }
            }
            types[type.name] = records
        }
    }

    var description: String {
        types.keys.sorted().map { name in
            "\(name):\n" + types[name]!.keys.sorted().map { "  \($0): \(types[name]![$0]!)" }.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
