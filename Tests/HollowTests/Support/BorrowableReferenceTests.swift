import Foundation
import Synchronization
import Testing
import TestThreads
@testable import Hollow

/// `BorrowableReference` and its `HazardSlots`: a borrowed object lives until its reader returns,
/// an object no reader holds is released when replaced, and every slot is freed again.
@Suite(.onTestThreads) struct BorrowableReferenceTests {
    /// Waits up to five seconds for `condition` (objects a reader releases go on a background
    /// queue), sleeping, not blocking a thread of the suite's pool.
    func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<5_000 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return condition()
    }

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

    /// A reference whose hook at `point` publishes `object` the first time it runs; `unhook` breaks
    /// the cycle between the reference and its hook at the end of the test.
    func publishingOnce(at point: WritableKeyPath<BorrowableReference<Tracked>.TestHooks, @Sendable () -> Void>,
                        _ object: Tracked) -> (BorrowableReference<Tracked>, unhook: () -> Void) {
        let hooked = Mutex<BorrowableReference<Tracked>?>(nil)
        let pending = Mutex<Tracked?>(object)
        var hooks = BorrowableReference<Tracked>.TestHooks()
        hooks[keyPath: point] = {
            guard let object = pending.withLock({ $0.take() }) else { return }
            hooked.withLock { $0 }?.store(object)
        }
        let reference = BorrowableReference<Tracked>(testHooks: hooks)
        hooked.withLock { $0 = reference }
        return (reference, { hooked.withLock { $0 = nil } })
    }

    @Test func nothingPublishedGivesNil() {
        let reference = BorrowableReference<Tracked>()
        #expect(reference.withBorrowed { $0?.id } == nil)
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

    @Test func anObjectBorrowedWhileReplacedLivesUntilItsReaderReturns() async {
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
        // The reader that freed the last slot holding it released it (on a background queue), with
        // no other publish.
        #expect(await eventually { released.contains(1) })
        #expect(!released.contains(2))
        #expect(reference.olderKept == 0 && reference.slotsHeld == 0)
    }

    /// A publish between a reader's load of the address and its claim of a slot: the reader must
    /// see the newer object, and the older one is released at once (no slot holds it).
    @Test func aPublishBetweenLoadAndClaimIsSeen() {
        let released = Released()
        let (reference, unhook) = publishingOnce(at: \.beforeClaim, Tracked(2, released))
        reference.store(Tracked(1, released))
        #expect(reference.withBorrowed { $0?.id } == 2)
        #expect(released.contains(1))
        #expect(reference.olderKept == 0 && reference.slotsHeld == 0)
        unhook()
    }

    /// A publish after a reader claimed a slot for the object published then: the publisher sees
    /// the slot and keeps that object; the reader sees the newer one, moves its slot to it, and when
    /// done releases the one its slot first held, with no later store.
    @Test func aReaderThatMovedItsSlotReleasesWhatItFirstHeld() async {
        let released = Released()
        let (reference, unhook) = publishingOnce(at: \.afterClaim, Tracked(2, released))
        reference.store(Tracked(1, released))
        let seen = reference.withBorrowed { object in [object?.id ?? -1, reference.olderKept] }
        #expect(seen == [2, 1])  // object 1 kept while the slot held it
        #expect(await eventually { released.contains(1) })
        #expect(reference.olderKept == 0 && reference.slotsHeld == 0)
        unhook()
    }

    /// A publish that scans after a reader of an older object freed its slot but before the reader
    /// looked at the pending flag: between them, the older object is released, with no later store.
    @Test func aScanBetweenSlotFreedAndFlagCheckLosesNothing() async {
        let released = Released()
        let (reference, unhook) = publishingOnce(at: \.afterSlotFreed, Tracked(3, released))
        reference.store(Tracked(1, released))
        reference.withBorrowed { _ in reference.store(Tracked(2, released)) }
        #expect(await eventually { released.contains(1) && released.contains(2) })
        #expect(!released.contains(3))
        #expect(reference.olderKept == 0 && reference.slotsHeld == 0)
        unhook()
    }

    /// Readers of the current object while an older one is pinned by a long borrow: the older one
    /// goes when its reader returns, however many other borrows come and go meanwhile.
    @Test func aLongBorrowOfAnOlderObjectIsReleasedWhenItReturns() async throws {
        let released = Released()
        let reference = BorrowableReference<Tracked>()
        reference.store(Tracked(1, released))
        let inside = Atomic<Bool>(false), leave = Atomic<Bool>(false)
        let long = Thread {
            reference.withBorrowed { _ in
                inside.store(true, ordering: .releasing)
                while !leave.load(ordering: .acquiring) { usleep(100) }
            }
        }
        long.start()
        while !inside.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(1)) }
        reference.store(Tracked(2, released))
        for _ in 0..<1_000 { #expect(reference.withBorrowed { $0?.id } == 2) }
        #expect(!released.contains(1) && reference.olderKept == 1)
        leave.store(true, ordering: .releasing)
        while long.isExecuting { try await Task.sleep(for: .milliseconds(1)) }
        #expect(await eventually { released.contains(1) })
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
        // Three threads, each resting now and then: spinning threads on two cores would starve the
        // rest of the suite (a run of this test once held every other test up for minutes).
        let threads = (0..<3).map { _ in
            let thread = Thread {
                var round = 0
                while !stop.load(ordering: .relaxed) {
                    round += 1
                    reference.withBorrowed { object in
                        guard let id = object?.id else { return }
                        // Hold it a little, so that publishes land during borrows.
                        for _ in 0..<50 { _ = borrows.load(ordering: .relaxed) }
                        // Checked every eighth borrow: the record of releases is under a lock.
                        if round % 8 == 0, released.contains(id) { problems.withLock { $0.append("object \(id) released while borrowed") } }
                    }
                    borrows.add(1, ordering: .relaxed)
                    if round % 32 == 0 { usleep(50) }
                }
            }
            thread.start()
            return thread
        }
        // At least 3,000 publishes, for at least half a second of borrows.
        let until = ContinuousClock.now + .milliseconds(500)
        var publishes = 0
        while publishes < 3_000 || ContinuousClock.now < until {
            publishes += 1
            reference.store(Tracked(publishes, released))
            if publishes % 50 == 0 { try await Task.sleep(for: .microseconds(200)) }
        }
        stop.store(true, ordering: .relaxed)
        while threads.contains(where: { $0.isExecuting }) { try await Task.sleep(for: .milliseconds(2)) }
        // With no further publish, the readers released every older object on their way out.
        #expect(await eventually { reference.olderKept == 0 && released.ids.withLock { $0.count } == publishes })
        #expect(problems.withLock { Array($0.prefix(3)) } == [])
        #expect(borrows.load(ordering: .relaxed) > 0)
        #expect(reference.slotsHeld == 0)
        reference.store(nil)
        #expect(released.ids.withLock { $0.count } == publishes + 1)
    }
}
