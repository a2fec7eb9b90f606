/// A Swift value that can look up one field of an index key: integers for int, long and reference
/// fields, `Bool`, `Float`, `Double`, `String` (and `Substring`) for string fields, `[UInt8]` for
/// bytes fields, and `Optional` of these to look up nulls. Looking up hashes and compares in place:
/// nothing is allocated.
public protocol IndexKeyComponent {
    func hash(into hasher: inout KeyHasher)
    /// Whether the field `field` of record `ordinal` holds this value.
    func matches(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) -> Bool
}

extension IndexKeyComponent where Self: BinaryInteger {
    @inlinable
    public func hash(into hasher: inout KeyHasher) { hasher.combine(UInt64(truncatingIfNeeded: Int64(truncatingIfNeeded: self))) }

    @inlinable
    public func matches(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) -> Bool {
        switch field.type {
        case .int: reader.int(ordinal, field).map { Int64($0) == Int64(truncatingIfNeeded: self) } ?? false
        case .long: reader.long(ordinal, field) == Int64(truncatingIfNeeded: self)
        case .reference: reader.reference(ordinal, field).map { Int64($0) == Int64(truncatingIfNeeded: self) } ?? false
        default: false
        }
    }
}

extension Int: IndexKeyComponent {}
extension Int64: IndexKeyComponent {}
extension Int32: IndexKeyComponent {}
extension Int16: IndexKeyComponent {}
extension Int8: IndexKeyComponent {}
extension UInt16: IndexKeyComponent {}
extension UInt8: IndexKeyComponent {}
extension UInt32: IndexKeyComponent {}

extension Bool: IndexKeyComponent {
    @inlinable
    public func hash(into hasher: inout KeyHasher) { hasher.combine(self ? 1 : 0) }

    @inlinable
    public func matches(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) -> Bool {
        field.type == .bool && reader.bool(ordinal, field) == self
    }
}

extension Double: IndexKeyComponent {
    @inlinable
    public func hash(into hasher: inout KeyHasher) { hasher.combine(bitPattern) }

    @inlinable
    public func matches(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) -> Bool {
        field.type == .double && reader.double(ordinal, field)?.bitPattern == bitPattern
    }
}

extension Float: IndexKeyComponent {
    @inlinable
    public func hash(into hasher: inout KeyHasher) { hasher.combine(UInt64(bitPattern)) }

    @inlinable
    public func matches(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) -> Bool {
        field.type == .float && reader.float(ordinal, field)?.bitPattern == bitPattern
    }
}

extension StringProtocol {
    @inlinable
    func withUTF8Bytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return result }
        return Array(utf8).withUnsafeBytes(body)
    }
}

extension String: IndexKeyComponent {
    @inlinable
    public func hash(into hasher: inout KeyHasher) { withUTF8Bytes { hasher.combine(bytes: $0) } }

    @inlinable
    public func matches(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) -> Bool {
        field.type == .string && withUTF8Bytes { reader.bytesEqual(ordinal, field, $0) }
    }
}

extension Substring: IndexKeyComponent {
    @inlinable
    public func hash(into hasher: inout KeyHasher) { withUTF8Bytes { hasher.combine(bytes: $0) } }

    @inlinable
    public func matches(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) -> Bool {
        field.type == .string && withUTF8Bytes { reader.bytesEqual(ordinal, field, $0) }
    }
}

extension Array: IndexKeyComponent where Element == UInt8 {
    @inlinable
    public func hash(into hasher: inout KeyHasher) { withUnsafeBytes { hasher.combine(bytes: $0) } }

    @inlinable
    public func matches(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) -> Bool {
        field.type == .bytes && withUnsafeBytes { reader.bytesEqual(ordinal, field, $0) }
    }
}

extension Optional: IndexKeyComponent where Wrapped: IndexKeyComponent {
    @inlinable
    public func hash(into hasher: inout KeyHasher) {
        if let self { self.hash(into: &hasher) } else { hasher.combineNull() }
    }

    @inlinable
    public func matches(_ reader: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) -> Bool {
        if let self { self.matches(reader, ordinal, field) } else { reader.isNull(ordinal, field) }
    }
}
