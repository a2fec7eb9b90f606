import HollowCore

/// Remembers where each primary key of a type was first seen, so that a second, different record
/// with the same key is refused with both places named. (Identical records are one record, so a
/// line repeated word for word is not a conflict.) Keys are compared as the core compares them, by
/// their bytes: UTF-8 as written, floating-point bit patterns. Keys that follow references
/// (`director.name`) are left to the write state, which checks every key when the blobs are written.
struct PrimaryKeyTracker: Sendable {
    private struct FirstSeen: Sendable {
        let ordinal: Int
        let file: Int32
        let line: Int32
    }

    let fieldPositions: [Int]
    /// Keys of one integer field, the common case, without building key bytes.
    private var firstSeenInteger: [Int64: FirstSeen] = [:]
    private var firstSeen: [[UInt8]: FirstSeen] = [:]

    init(fieldPositions: [Int]) {
        self.fieldPositions = fieldPositions
    }

    /// Records that `ordinal` has the key made of `values` at `fieldPositions`; returns where a
    /// different record with the same key was seen first, if one was.
    mutating func note(_ values: [FieldValue?], ordinal: Int, file: Int, line: Int) -> (file: Int, line: Int)? {
        let seen = FirstSeen(ordinal: ordinal, file: Int32(truncatingIfNeeded: file), line: Int32(truncatingIfNeeded: line))
        if fieldPositions.count == 1 {
            switch values[fieldPositions[0]]! {
            case .long(let number): return Self.note(number, seen, in: &firstSeenInteger)
            case .int(let number): return Self.note(Int64(number), seen, in: &firstSeenInteger)
            default: break
            }
        }
        var key: [UInt8] = []
        for position in fieldPositions { Self.append(values[position]!, to: &key) }
        return Self.note(key, seen, in: &firstSeen)
    }

    private static func note<Key: Hashable>(_ key: Key, _ seen: FirstSeen, in table: inout [Key: FirstSeen]) -> (file: Int, line: Int)? {
        if let first = table[key] {
            return first.ordinal == seen.ordinal ? nil : (Int(first.file), Int(first.line))
        }
        table[key] = seen
        return nil
    }

    private static func append(_ value: FieldValue, to key: inout [UInt8]) {
        func append<T: FixedWidthInteger>(_ tag: UInt8, _ number: T) {
            key.append(tag)
            withUnsafeBytes(of: number.littleEndian) { key.append(contentsOf: $0) }
        }
        switch value {
        case .int(let number): append(1, number)
        case .long(let number): append(2, number)
        case .float(let number): append(3, number.bitPattern)
        case .double(let number): append(4, number.bitPattern)
        case .bool(let flag): append(5, UInt8(flag ? 1 : 0))
        case .reference(let ordinal): append(6, Int64(ordinal))
        case .string(var text):
            text.withUTF8 { utf8 in
                append(7, UInt64(utf8.count))
                key.append(contentsOf: utf8)
            }
        case .bytes(let bytes):
            append(8, UInt64(bytes.count))
            key.append(contentsOf: bytes)
        }
    }
}
