import Dispatch
import Synchronization
import HollowCore
@testable import HollowImport
import Testing
import TestThreads

/// The primary-key tracker in shards (`SharedKeyTracker`): keys noted from several threads at once
/// give the conflicts of one thread noting them in order.
@Suite(.onTestThreads) struct PrimaryKeyTrackerTests {
    /// The bytes an import notes for a record whose key fields hold `values` (fields `k0`, `k1`...
    /// of the types the values have, the key being all of them).
    static func key(_ values: [FieldValue]) -> [UInt8] {
        let fields = values.enumerated().map { index, value -> String in
            let type = switch value {
            case .int: "int"
            case .long: "long"
            case .string: "string"
            default: "bytes"
            }
            return "k\(index): \(type)"
        }
        let schema = try! Schema(parsing: "type K { \(fields.joined(separator: "  ")) }")
        var record = ObjectRecord(schema.object("K")!)
        for (index, value) in values.enumerated() { try! record.set(fieldAt: index, value) }
        var bytes: [UInt8] = []
        try! record.appendKeyBytes(fields: Array(values.indices), to: &bytes)
        return bytes
    }

    /// Keys `k0..<k(count)`, each twice: by ordinal `i` at line `i + 1`, and by another record at
    /// line `count + i + 1`. Every second note must find the first's place.
    @Test(arguments: [false, true], [false, true])
    func keysNotedFromTwoThreadsFindTheirFirstPlace(integerKeys: Bool, reserved: Bool) {
        let count = 20_000
        let tracker = SharedKeyTracker(PrimaryKeyTracker(fieldPositions: [0]))
        if reserved { tracker.reserve(keys: 2 * count) }
        let keys = (0..<count).map { Self.key([integerKeys ? .long(Int64($0) * 7_919) : .string("k\($0)")]) }
        // Two threads note the first halves, then the seconds, each its own keys.
        let conflicts = (0..<2).map { _ in [Int: (file: Int, line: Int)]() }
        let found = LockedConflicts(conflicts)
        for round in 0..<2 {
            DispatchQueue.concurrentPerform(iterations: 2) { thread in
                for index in stride(from: thread, to: count, by: 2) {
                    let line = round * count + index + 1
                    if let other = tracker.note(keys[index], ordinal: round * count + index, file: 0, line: line, keyOfRecord: { keys[$0 % count] }) {
                        found.add(round, index, other)
                    }
                }
            }
        }
        let result = found.conflicts
        #expect(result[0].isEmpty, "a first note found a conflict")
        #expect(result[1].count == count)
        #expect(result[1].allSatisfy { $0.value.line == $0.key + 1 && $0.value.file == 0 })
        // The same record noted again is no conflict; the tracker's copy keeps every key.
        var copy = tracker.current
        #expect(copy.note(keys[5], ordinal: 5, file: 0, line: 99, keyOfRecord: { keys[$0 % count] }) == nil)
        #expect(copy.note(keys[5], ordinal: 123_456, file: 1, line: 1, keyOfRecord: { keys[$0 % count] })! == (0, 6))
    }

    /// Two threads note the same keys at once, from different lines: each key is a conflict for
    /// exactly one of them (the second to note it), and the tracker keeps each key's earliest line.
    @Test func theSameKeysNotedFromTwoThreadsAtOnceKeepTheirEarliestLine() {
        let count = 20_000
        let tracker = SharedKeyTracker(PrimaryKeyTracker(fieldPositions: [0]))
        let found = LockedConflicts([[:], [:]])
        let keys = (0..<count).map { Self.key([.string("k\($0)")]) }
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            for index in 0..<count {
                // Thread 0's line of a key is the earlier one for even keys, thread 1's for odd ones.
                let line = 2 * index + 1 + (index % 2 == thread ? 0 : 1)
                if let other = tracker.note(keys[index], ordinal: thread * count + index, file: 0, line: line, keyOfRecord: { keys[$0 % count] }) {
                    found.add(thread, index, other)
                }
            }
        }
        let result = found.conflicts
        #expect(result[0].count + result[1].count == count, "each key conflicts once")
        #expect(Set(result[0].keys).isDisjoint(with: result[1].keys))
        var copy = tracker.current
        for index in 0..<count {
            #expect(copy.note(keys[index], ordinal: 3 * count, file: 1, line: 1, keyOfRecord: { keys[$0 % count] })! == (0, 2 * index + 1))
        }
    }

    /// A later line noted first is replaced by the earlier one, which later notes then name.
    @Test func theEarliestPlaceIsKept() {
        var tracker = PrimaryKeyTracker(fieldPositions: [0, 1])
        let key = Self.key([.string("a"), .int(1)])
        #expect(tracker.note(key, ordinal: 1, file: 0, line: 50, keyOfRecord: { _ in key }) == nil)
        #expect(tracker.note(key, ordinal: 2, file: 0, line: 10, keyOfRecord: { _ in key })! == (0, 50))
        #expect(tracker.note(key, ordinal: 3, file: 0, line: 70, keyOfRecord: { _ in key })! == (0, 10))
    }

    /// Keys whose hashes are equal but whose bytes differ are different keys: the tracker reads the
    /// first record's key back to tell them apart, and a key read back as another is no conflict.
    @Test func aHashMetAgainIsAConflictOnlyWhenTheKeysAreEqual() {
        var tracker = PrimaryKeyTracker(fieldPositions: [0])
        let key = Self.key([.string("a")]), other = Self.key([.string("b")])
        #expect(tracker.note(key, ordinal: 1, file: 0, line: 1, keyOfRecord: { _ in key }) == nil)
        // The same bytes noted by another record, but record 1 reads back as another key: a
        // collision of hashes, not a conflict, and the new key is kept beside the old.
        #expect(tracker.note(key, ordinal: 2, file: 0, line: 2, keyOfRecord: { $0 == 1 ? other : key }) == nil)
        #expect(tracker.note(key, ordinal: 3, file: 0, line: 3, keyOfRecord: { $0 == 1 ? other : key })! == (0, 2))
        // A record that is gone reads back as nil: no conflict.
        #expect(tracker.note(other, ordinal: 4, file: 0, line: 4, keyOfRecord: { _ in nil }) == nil)
    }
}

/// The conflicts the threads found, by round and key index.
private final class LockedConflicts: Sendable {
    private let found: Mutex<[[Int: Place]]>
    struct Place: Sendable {
        let file: Int
        let line: Int
    }
    init(_ initial: [[Int: (file: Int, line: Int)]]) { found = Mutex(initial.map { _ in [:] }) }
    func add(_ round: Int, _ index: Int, _ other: (file: Int, line: Int)) {
        found.withLock { $0[round][index] = Place(file: other.file, line: other.line) }
    }
    var conflicts: [[Int: Place]] { found.withLock { $0 } }
}
