/// A `FieldValue` looks up the key field of its own kind, hashing exactly as the Swift value it
/// wraps, so that keys known only at run time (parsed from text, taken from a record) can be
/// looked up with `ordinal(matching:)` and `ordinals(matching:)`.
extension FieldValue: IndexKeyComponent {
    public func hash(into hasher: inout KeyHasher) {
        switch self {
        case .int(let value): value.hash(into: &hasher)
        case .long(let value): value.hash(into: &hasher)
        case .float(let value): value.hash(into: &hasher)
        case .double(let value): value.hash(into: &hasher)
        case .bool(let value): value.hash(into: &hasher)
        case .string(let value): value.hash(into: &hasher)
        case .bytes(let value): value.hash(into: &hasher)
        case .reference(let value): value.hash(into: &hasher)
        }
    }

    public func matches(_ field: IndexedField, _ ordinal: Int) -> Bool {
        switch self {
        case .int(let value): value.matches(field, ordinal)
        case .long(let value): value.matches(field, ordinal)
        case .float(let value): value.matches(field, ordinal)
        case .double(let value): value.matches(field, ordinal)
        case .bool(let value): value.matches(field, ordinal)
        case .string(let value): value.matches(field, ordinal)
        case .bytes(let value): value.matches(field, ordinal)
        case .reference(let value): value.matches(field, ordinal)
        }
    }
}
