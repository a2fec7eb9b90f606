import HollowCore

/// Reads every field of every ordinal (holes included: reading them is allowed and must stay in
/// bounds), every list element and every set and map entry, and looks up each entry again. What
/// loading promises is checked too: every reference a record holds (a field, an element, a key
/// or a value) is an ordinal of its target type, so that a reader may follow it.
enum StateWalk {
    static func walk(_ state: ReadState) -> UInt64 {
        var sum: UInt64 = 0
        var ordinalCounts: [String: Int] = [:]
        for type in state.schema.types {
            switch type {
            case .object: ordinalCounts[type.name] = state.objectType(type.name)?.ordinalCount
            case .list: ordinalCounts[type.name] = state.listType(type.name)?.ordinalCount
            case .set, .map: ordinalCounts[type.name] = state.hashedType(type.name)?.ordinalCount
            }
        }
        func follow(_ reference: Int, to target: String, from type: String, _ ordinal: Int) {
            guard let count = ordinalCounts[target], reference >= 0, reference < count else {
                fatalError("\(type) record \(ordinal) refers to \(target) ordinal \(reference), beyond \(ordinalCounts[target] ?? -1)")
            }
        }
        for type in state.schema.types {
            switch type {
            case .object:
                guard let reader = state.objectType(type.name) else { fatalError("object type \(type.name) has no reader") }
                var populated = 0
                for _ in reader.ordinals { populated += 1 }
                precondition(populated == reader.recordCount, "\(type.name): \(populated) populated ordinals, recordCount \(reader.recordCount)")
                for ordinal in 0..<reader.ordinalCount {
                    for field in reader.fields {
                        if reader.isNull(ordinal, field) { sum &+= 1; continue }
                        switch field.type {
                        case .int: sum &+= UInt64(truncatingIfNeeded: reader.int(ordinal, field)!)
                        case .long: sum &+= UInt64(bitPattern: reader.long(ordinal, field)!)
                        case .float: sum &+= UInt64(reader.float(ordinal, field)!.bitPattern)
                        case .double: sum &+= reader.double(ordinal, field)!.bitPattern
                        case .bool: sum &+= reader.bool(ordinal, field)! ? 1 : 0
                        case .string: sum &+= UInt64(reader.string(ordinal, field)!.utf8.count)
                        case .bytes: sum &+= UInt64(reader.bytes(ordinal, field)!.count)
                        case .reference(let target):
                            let reference = reader.reference(ordinal, field)!
                            if reader.isPopulated(ordinal) { follow(reference, to: target, from: type.name, ordinal) }
                            sum &+= UInt64(truncatingIfNeeded: reference)
                        }
                    }
                }
            case .list(_, let element):
                guard let reader = state.listType(type.name) else { fatalError("list type \(type.name) has no reader") }
                let populated = Set(reader.ordinals)
                for ordinal in 0..<reader.ordinalCount {
                    for item in reader.elements(ordinal) {
                        if populated.contains(ordinal) { follow(item, to: element, from: type.name, ordinal) }
                        sum &+= UInt64(truncatingIfNeeded: item)
                    }
                }
            case .set, .map:
                guard let reader = state.hashedType(type.name) else { fatalError("hashed type \(type.name) has no reader") }
                let populated = Set(reader.ordinals)
                let (keyType, valueType): (String, String) = switch type {
                case .set(_, let element): (element, element)
                case .map(_, let key, let value): (key, value)
                default: fatalError("not a hashed type")
                }
                for ordinal in 0..<reader.ordinalCount {
                    sum &+= UInt64(truncatingIfNeeded: reader.count(ordinal))
                    for entry in reader.entries(ordinal) {
                        if populated.contains(ordinal) {
                            follow(entry.key, to: keyType, from: type.name, ordinal)
                            follow(entry.value, to: valueType, from: type.name, ordinal)
                        }
                        sum &+= UInt64(truncatingIfNeeded: entry.key &+ entry.value)
                        // The lookup probes from the key's home bucket: it must stay in bounds too.
                        if reader.contains(ordinal, entry.key) { sum &+= 1 }
                        if let value = reader.value(ordinal, forKey: entry.key) { sum &+= UInt64(truncatingIfNeeded: value) }
                    }
                    _ = reader.contains(ordinal, 0)
                }
            }
        }
        return sum
    }
}
