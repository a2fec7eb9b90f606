@testable import HollowCore
import PropertyBased

/// Random schemas and random cycles of records over them, for property tests. Values come from
/// small domains so that records repeat within a cycle (dedup) and across cycles (kept ordinals).
///
/// `degenerate` datasets take the shapes at the edges of what the writer produces: types emptied and
/// refilled, types whose every value is zero (zero-bit columns), one record repeated, and lists
/// holding thousands of copies of one element (zero-bit pools). Readers must take back whatever the
/// writer writes.
struct RandomDataset {
    var random: Xoshiro
    let schema: Schema
    let degenerate: Bool

    /// How a type is filled in one cycle of a degenerate dataset.
    enum Shape: CaseIterable {
        /// No record at all.
        case empty
        /// Every value zero, empty or the first ordinal: one distinct record, zero-bit columns.
        case zero
        /// One value repeated: a single distinct record, and collections of one element repeated.
        case repeated
        /// As in a typical dataset.
        case typical
    }

    init(seed: UInt64, degenerate: Bool = false) {
        self.degenerate = degenerate
        random = Xoshiro(seed: seed)
        var types: [TypeSchema] = []
        let objectCount = Int.random(in: 1...4, using: &random)
        var names: [String] = []
        for index in 0..<objectCount {
            var fields: [FieldSchema] = []
            for fieldIndex in 0..<Int.random(in: 1...5, using: &random) {
                var choices: [FieldType] = [.int, .long, .float, .double, .bool, .string, .bytes]
                choices += names.map { FieldType.reference($0) }
                let type = choices.randomElement(using: &random)!
                fields.append(FieldSchema("f\(fieldIndex)", type, nullable: Bool.random(using: &random)))
            }
            let name = "T\(index)"
            types.append(.object(ObjectSchema(name, fields: fields)))
            names.append(name)
            if Bool.random(using: &random) {
                let kind = Int.random(in: 0...2, using: &random)
                let element = names.randomElement(using: &random)!
                let other = names.randomElement(using: &random)!
                let collection: TypeSchema = switch kind {
                case 0: .list(name: "L\(index)", element: element)
                case 1: .set(name: "S\(index)", element: element)
                default: .map(name: "M\(index)", key: element, value: other)
                }
                types.append(collection)
                names.append(collection.name)
                // A holder type so collections are referenced from an object as well.
                types.append(.object(ObjectSchema("H\(index)", fields: [FieldSchema("c", .reference(collection.name), nullable: true)])))
                names.append("H\(index)")
            }
        }
        schema = try! Schema(types)
    }

    /// Extreme values mixed with small ones, so that widths up to 64 bits are exercised.
    mutating func long() -> Int64 {
        switch Int.random(in: 0...9, using: &random) {
        case 0: Int64.min
        case 1: Int64.max
        case 2: Int64.random(in: .min ... .max, using: &random) >> Int.random(in: 0...63, using: &random)
        default: Int64.random(in: -3...3, using: &random)
        }
    }

    mutating func value(_ type: FieldType, current: [String: [Int]], shape: Shape = .typical) -> FieldValue? {
        if shape == .zero || shape == .repeated {
            switch type {
            case .int: return .int(shape == .zero ? 0 : Int32.min)
            case .long: return .long(shape == .zero ? 0 : Int64.max)
            case .float: return .float(shape == .zero ? 0 : .nan)
            case .double: return .double(shape == .zero ? 0 : -1e300)
            case .bool: return .bool(shape == .repeated)
            case .string: return .string(shape == .zero ? "" : "héllo")
            case .bytes: return .bytes(shape == .zero ? [] : [0, 255])
            case .reference(let target): return current[target]?.first.map { .reference($0) }
            }
        }
        switch type {
        case .int: return .int(Int.random(in: 0...5, using: &random) == 0 ? Int32.min : Int32.random(in: -2...2, using: &random))
        case .long: return .long(long())
        case .float: return .float([0, -0.0, 1.5, .infinity, .nan, Float.greatestFiniteMagnitude].randomElement(using: &random)!)
        case .double: return .double([0, 2.5, -1e300, .infinity, Double(bitPattern: ~0)].randomElement(using: &random)!)
        case .bool: return .bool(Bool.random(using: &random))
        case .string: return .string(["", "a", "b", "héllo", String(repeating: "long", count: 20)].randomElement(using: &random)!)
        case .bytes: return .bytes((0..<Int.random(in: 0...3, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
        case .reference(let target): return current[target]?.randomElement(using: &random).map { .reference($0) }
        }
    }

    /// Adds one random cycle to `state`; returns the distinct records added per type.
    mutating func populate(_ state: WriteState) throws -> [String: Int] {
        var current: [String: [Int]] = [:]
        var distinct: [String: Set<[UInt8]>] = [:]
        for type in schema.types {
            var ordinals: [Int] = []
            var seen: Set<[UInt8]> = []
            let shape = degenerate ? Shape.allCases.randomElement(using: &random)! : .typical
            let additions = switch shape {
            case .empty: 0
            case .zero, .repeated: Int.random(in: 1...3, using: &random)
            case .typical: Int.random(in: 0...25, using: &random)
            }
            for _ in 0..<additions {
                switch type {
                case .object(let object):
                    var record = ObjectRecord(object)
                    var skip = false
                    for field in object.fields {
                        let value = Int.random(in: 0...4, using: &random) == 0 && field.isNullable ? nil : self.value(field.type, current: current, shape: shape)
                        if value == nil && !field.isNullable { skip = true }
                        try record.set(field.name, value)
                    }
                    if skip { continue }
                    seen.insert(try record.encoded())
                    ordinals.append(try state.add(record))
                case .list(_, let element), .set(_, let element):
                    guard let pool = current[element], !pool.isEmpty else { continue }
                    let elements: [Int]
                    switch shape {
                    case .zero, .repeated:
                        // Thousands of copies of one element: a pool whose elements take no bits.
                        let count = [0, 1, 255, 256, 5_000, 70_000].randomElement(using: &random)!
                        elements = Array(repeating: shape == .zero ? pool[0] : pool.last!, count: count)
                    default:
                        elements = (0..<Int.random(in: 0...4, using: &random)).map { _ in pool.randomElement(using: &random)! }
                    }
                    if case .list = type {
                        seen.insert(elements.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] } + withUnsafeBytes(of: elements.count) { Array($0) })
                        ordinals.append(try state.add(list: elements, to: type.name))
                    } else {
                        seen.insert(Set(elements).sorted().flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] } + [255])
                        ordinals.append(try state.add(set: elements, to: type.name))
                    }
                case .map(_, let key, let value):
                    guard let keys = current[key], let values = current[value], !keys.isEmpty, !values.isEmpty else { continue }
                    var entries: [Int: Int] = [:]
                    if shape == .zero || shape == .repeated {
                        entries[keys[0]] = values[0]
                    } else {
                        for _ in 0..<Int.random(in: 0...4, using: &random) { entries[keys.randomElement(using: &random)!] = values.randomElement(using: &random)! }
                    }
                    seen.insert(entries.sorted { $0.key < $1.key }.flatMap { [UInt8(truncatingIfNeeded: $0.key), UInt8(truncatingIfNeeded: $0.value), 7] } + [UInt8(entries.count)])
                    ordinals.append(try state.add(map: entries.map { (key: $0.key, value: $0.value) }, to: type.name))
                }
            }
            current[type.name] = ordinals
            distinct[type.name] = seen
        }
        return distinct.mapValues(\.count)
    }
}
