/// A Swift value that can look up one field of an index key: integers for int, long and reference
/// fields, `Bool`, `Float`, `Double`, `String` (and `Substring`) for string fields, `[UInt8]` for
/// bytes fields, and `Optional` of these to look up nulls. Looking up hashes and compares in place:
/// nothing is allocated and nothing is reference counted.
public protocol IndexKeyComponent {
    func hash(into hasher: inout KeyHasher)
    /// Whether the key field `field` of record `ordinal` (of the field's type) holds this value.
    func matches(_ field: IndexedField, _ ordinal: Int) -> Bool
}

extension IndexKeyComponent where Self: BinaryInteger {
    @inlinable
    public func hash(into hasher: inout KeyHasher) { hasher.combine(UInt64(truncatingIfNeeded: Int64(truncatingIfNeeded: self))) }

    @inlinable
    public func matches(_ field: IndexedField, _ ordinal: Int) -> Bool {
        field.integer(ordinal) == Int64(truncatingIfNeeded: self)
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
    public func matches(_ field: IndexedField, _ ordinal: Int) -> Bool {
        field.kind == .bool && field.bitPattern(ordinal) == (self ? 1 : 0)
    }
}

extension Double: IndexKeyComponent {
    @inlinable
    public func hash(into hasher: inout KeyHasher) { hasher.combine(bitPattern) }

    @inlinable
    public func matches(_ field: IndexedField, _ ordinal: Int) -> Bool {
        field.kind == .double && field.bitPattern(ordinal) == bitPattern
    }
}

extension Float: IndexKeyComponent {
    @inlinable
    public func hash(into hasher: inout KeyHasher) { hasher.combine(UInt64(bitPattern)) }

    @inlinable
    public func matches(_ field: IndexedField, _ ordinal: Int) -> Bool {
        field.kind == .float && field.bitPattern(ordinal) == UInt64(bitPattern)
    }
}

extension StringProtocol {
    // Inlined into the hash and the compare, so that the bytes of a native string are borrowed:
    // a closure left out of line made the caller retain the string around it.
    @inlinable @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return result }
        return Array(utf8).withUnsafeBytes(body)
    }
}

extension String: IndexKeyComponent {
    @inlinable @inline(__always)
    public func hash(into hasher: inout KeyHasher) { withUTF8Bytes { hasher.combine(bytes: $0) } }

    @inlinable @inline(__always)
    public func matches(_ field: IndexedField, _ ordinal: Int) -> Bool {
        field.kind == .string && withUTF8Bytes { field.bytesEqual(ordinal, $0) }
    }
}

extension Substring: IndexKeyComponent {
    @inlinable
    public func hash(into hasher: inout KeyHasher) { withUTF8Bytes { hasher.combine(bytes: $0) } }

    @inlinable
    public func matches(_ field: IndexedField, _ ordinal: Int) -> Bool {
        field.kind == .string && withUTF8Bytes { field.bytesEqual(ordinal, $0) }
    }
}

extension Array: IndexKeyComponent where Element == UInt8 {
    @inlinable
    public func hash(into hasher: inout KeyHasher) { withUnsafeBytes { hasher.combine(bytes: $0) } }

    @inlinable
    public func matches(_ field: IndexedField, _ ordinal: Int) -> Bool {
        field.kind == .bytes && withUnsafeBytes { field.bytesEqual(ordinal, $0) }
    }
}

extension Optional: IndexKeyComponent where Wrapped: IndexKeyComponent {
    @inlinable
    public func hash(into hasher: inout KeyHasher) {
        if let self { self.hash(into: &hasher) } else { hasher.combineNull() }
    }

    @inlinable
    public func matches(_ field: IndexedField, _ ordinal: Int) -> Bool {
        if let self { self.matches(field, ordinal) } else { field.isNull(ordinal) }
    }
}
