import HollowCore

/// Remembers where each primary key of a type was first seen, so that a second, different record
/// with the same key is refused with both places named. (Identical records are one record, so a
/// line repeated word for word is not a conflict.) Keys that follow references (`director.name`)
/// are left to the write state, which checks every key when the cycle's blobs are written.
struct PrimaryKeyTracker: Sendable {
    private enum Key: Hashable, Sendable {
        case single(FieldValue)
        case composite([FieldValue])
    }

    private struct FirstSeen: Sendable {
        let ordinal: Int
        let file: Int32
        let line: Int32
    }

    let fieldPositions: [Int]
    private var firstSeen: [Key: FirstSeen] = [:]

    init(fieldPositions: [Int]) {
        self.fieldPositions = fieldPositions
    }

    /// Records that `ordinal` has the key made of `values` at `fields`; returns where a different
    /// record with the same key was seen first, if one was.
    mutating func note(_ values: [FieldValue?], ordinal: Int, file: Int, line: Int) -> (file: Int, line: Int)? {
        let key: Key
        if fieldPositions.count == 1 {
            key = .single(values[fieldPositions[0]]!)
        } else {
            key = .composite(fieldPositions.map { values[$0]! })
        }
        let seen = FirstSeen(ordinal: ordinal, file: Int32(truncatingIfNeeded: file), line: Int32(truncatingIfNeeded: line))
        if let first = firstSeen.updateValue(seen, forKey: key), first.ordinal != ordinal {
            return (Int(first.file), Int(first.line))
        }
        return nil
    }

    mutating func reserveCapacity(_ count: Int) { firstSeen.reserveCapacity(count) }
}
