#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HollowCore

// Index key components for the Swift types the Codable mapping stores, so that a value is looked
// up by the same Swift value that was encoded: `index.value(for: movie.id)`.

/// Unsigned 64-bit integers are stored in long fields by bit pattern, and looked up the same way.
extension UInt64: IndexKeyComponent {}
extension UInt: IndexKeyComponent {}

/// A UUID is stored as its 16 bytes.
extension UUID: IndexKeyComponent {
    @inlinable
    public func hash(into hasher: inout KeyHasher) {
        withUnsafeBytes(of: uuid) { hasher.combine(bytes: $0) }
    }

    @inlinable
    public func matches(_ field: IndexedField, _ ordinal: Int) -> Bool {
        field.kind == .bytes && withUnsafeBytes(of: uuid) { field.bytesEqual(ordinal, $0) }
    }
}

/// A Date is stored as a double: seconds since 2001-01-01 (`timeIntervalSinceReferenceDate`).
extension Date: IndexKeyComponent {
    @inlinable
    public func hash(into hasher: inout KeyHasher) { timeIntervalSinceReferenceDate.hash(into: &hasher) }

    @inlinable
    public func matches(_ field: IndexedField, _ ordinal: Int) -> Bool {
        timeIntervalSinceReferenceDate.matches(field, ordinal)
    }
}

/// Data is stored as bytes.
extension Data: IndexKeyComponent {
    @inlinable
    public func hash(into hasher: inout KeyHasher) { withUnsafeBytes { hasher.combine(bytes: $0) } }

    @inlinable
    public func matches(_ field: IndexedField, _ ordinal: Int) -> Bool {
        field.kind == .bytes && withUnsafeBytes { field.bytesEqual(ordinal, $0) }
    }
}
