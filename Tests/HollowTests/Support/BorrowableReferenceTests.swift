import Foundation
import Synchronization
import Testing
@testable import Hollow

/// `BorrowableReference` and its `HazardSlots`: a borrowed object lives until its reader returns,
/// an object no reader holds is released when replaced, and every slot is freed again.
@Suite struct BorrowableReferenceTests {
    /// Records which objects were released, so that a reader can tell if the one it borrows was.
    final class Released: Sendable {
        let ids = Mutex<Set<Int>>([])
        func contains(_ id: Int) -> Bool { ids.withLock { $0.contains(id) } }
    }

    final class Tracked: Sendable {
        let id: Int
        let released: Released
        init(_ id: Int, _ released: Released) {
            self.id = id
            self.released = released
        }
        deinit { released.ids.withLock { _ = $0.insert(id) } }
    }

    @Test func nothingPublishedGivesNil() {
        let reference = BorrowableReference<Tracked>()
        #expect(reference.withBorrowed { $0?.id } == nil)
        #expect(reference.load() == nil)
    }

    @Test func aReplacedObjectNoReaderHoldsIsReleasedAtOnce() {
        let released = Released()
        let reference = BorrowableReference<Tracked>()
        reference.store(Tracked(1, released))
        #expect(reference.withBorrowed { $0?.id } == 1)
        reference.store(Tracked(2, released))
        #expect(released.contains(1))
        #expect(reference.withBorrowed { $0?.id } == 2)
        reference.store(nil)
        #expect(released.contains(2))
        #expect(reference.withBorrowed { $0?.id } == nil)
        #expect(reference.olderKept == 0 && reference.slotsHeld == 0)
    }

    @Test func anObjectBorrowedWhileReplacedLivesUntilItsReaderReturns() {
        let released = Released()
        let reference = BorrowableReference<Tracked>()
        reference.store(Tracked(1, released))
        let seen = reference.withBorrowed { borrowed -> [Bool] in
            let object = borrowed!
            reference.store(Tracked(2, released))
            // Still held here: kept by the publisher until this reader frees its slot.
            let during = [released.contains(1), object.id == 1, reference.olderKept == 1, reference.slotsHeld == 1]
            // A borrow inside a borrow takes another slot and sees the newer object.
            let inner = reference.withBorrowed { $0?.id }
            return during + [inner == 2, reference.slotsHeld == 1]
        }
        #expect(seen == [false, true, true, true, true, true])
        // The reader that freed the last slot holding it released it.
        #expect(released.contains(1))
        #expect(!released.contains(2))
        #expect(reference.olderKept == 0 && reference.slotsHeld == 0)
    }

    @Test func moreReadersThanSlotsFallBackToACountedReference() {
        let released = Released()
        let reference = BorrowableReference<Tracked>(slots: 2)
        reference.store(Tracked(1, released))
        let depths = reference.withBorrowed { _ in
            reference.withBorrowed { _ in
                // Both slots taken: this one counts a reference instead, and still sees the object.
                reference.withBorrowed { object in [object?.id ?? -1, reference.slotsHeld] }
            }
        }
        #expect(depths == [1, 2])
        #expect(reference.slotsHeld == 0)
    }

    /// Threads borrow and check the object they hold was not released while a publisher replaces it
    /// thousands of times; at the end every replaced object was released and every slot is free.
    @Test func readersOnManyThreadsNeverSeeAReleasedObject() async throws {
        let released = Released()
        let reference = BorrowableReference<Tracked>(slots: 8)
        reference.store(Tracked(0, released))
        let stop = Atomic<Bool>(false)
        let problems = Mutex<[String]>([])
        let borrows = Atomic<Int>(0)
        let threads = (0..<4).map { _ in
            let thread = Thread {
                while !stop.load(ordering: .relaxed) {
                    reference.withBorrowed { object in
                        guard let id = object?.id else { return }
                        // Hold it a little, so that publishes land during borrows.
                        for _ in 0..<50 { _ = borrows.load(ordering: .relaxed) }
                        if released.contains(id) { problems.withLock { $0.append("object \(id) released while borrowed") } }
                    }
                    borrows.add(1, ordering: .relaxed)
                }
            }
            thread.start()
            return thread
        }
        let publishes = 5_000
        for id in 1...publishes {
            reference.store(Tracked(id, released))
            if id % 100 == 0 { try await Task.sleep(for: .microseconds(200)) }
        }
        stop.store(true, ordering: .relaxed)
        while threads.contains(where: { $0.isExecuting }) { try await Task.sleep(for: .milliseconds(2)) }
        reference.store(nil)
        #expect(problems.withLock { Array($0.prefix(3)) } == [])
        #expect(borrows.load(ordering: .relaxed) > 0)
        #expect(reference.slotsHeld == 0)
        #expect(reference.olderKept == 0)
        #expect(released.ids.withLock { $0.count } == publishes + 1)
    }
}
