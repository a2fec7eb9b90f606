import Dispatch
import Synchronization
import HollowCore
@testable import HollowImport
import Testing

/// The primary-key tracker in shards (`SharedKeyTracker`): keys noted from several threads at once
/// give the conflicts of one thread noting them in order.
@Suite struct PrimaryKeyTrackerTests {
    /// Keys `k0..<k(count)`, each twice: by ordinal `i` at line `i + 1`, and by another record at
    /// line `count + i + 1`. Every second note must find the first's place.
    @Test(arguments: [false, true], [false, true])
    func keysNotedFromTwoThreadsFindTheirFirstPlace(integerKeys: Bool, reserved: Bool) {
        let count = 20_000
        let tracker = SharedKeyTracker(PrimaryKeyTracker(fieldPositions: [0]))
        if reserved { tracker.reserve(keys: 2 * count, integer: integerKeys) }
        @Sendable func values(_ index: Int) -> [FieldValue?] { [integerKeys ? .long(Int64(index) * 7_919) : .string("k\(index)")] }
        // Two threads note the first halves, then the seconds, each its own keys.
        let conflicts = (0..<2).map { _ in [Int: (file: Int, line: Int)]() }
        let found = LockedConflicts(conflicts)
        for round in 0..<2 {
            DispatchQueue.concurrentPerform(iterations: 2) { thread in
                var bytes: [UInt8] = []
                for index in stride(from: thread, to: count, by: 2) {
                    let line = round * count + index + 1
                    if let other = tracker.note(values(index), ordinal: round * count + index, file: 0, line: line, bytes: &bytes) {
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
        #expect(copy.note(values(5), ordinal: 5, file: 0, line: 99) == nil)
        #expect(copy.note(values(5), ordinal: 123_456, file: 1, line: 1)! == (0, 6))
    }

    /// Two threads note the same keys at once, from different lines: each key is a conflict for
    /// exactly one of them (the second to note it), and the tracker keeps each key's earliest line.
    @Test func theSameKeysNotedFromTwoThreadsAtOnceKeepTheirEarliestLine() {
        let count = 20_000
        let tracker = SharedKeyTracker(PrimaryKeyTracker(fieldPositions: [0]))
        let found = LockedConflicts([[:], [:]])
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            var bytes: [UInt8] = []
            for index in 0..<count {
                // Thread 0's line of a key is the earlier one for even keys, thread 1's for odd ones.
                let line = 2 * index + 1 + (index % 2 == thread ? 0 : 1)
                if let other = tracker.note([.string("k\(index)")], ordinal: thread * count + index, file: 0, line: line, bytes: &bytes) {
                    found.add(thread, index, other)
                }
            }
        }
        let result = found.conflicts
        #expect(result[0].count + result[1].count == count, "each key conflicts once")
        #expect(Set(result[0].keys).isDisjoint(with: result[1].keys))
        var copy = tracker.current
        for index in 0..<count {
            #expect(copy.note([.string("k\(index)")], ordinal: 3 * count, file: 1, line: 1)! == (0, 2 * index + 1))
        }
    }

    /// A later line noted first is replaced by the earlier one, which later notes then name.
    @Test func theEarliestPlaceIsKept() {
        var tracker = PrimaryKeyTracker(fieldPositions: [0, 1])
        let key: [FieldValue?] = [.string("a"), .int(1)]
        #expect(tracker.note(key, ordinal: 1, file: 0, line: 50) == nil)
        #expect(tracker.note(key, ordinal: 2, file: 0, line: 10)! == (0, 50))
        #expect(tracker.note(key, ordinal: 3, file: 0, line: 70)! == (0, 10))
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
