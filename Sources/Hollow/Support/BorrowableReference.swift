import Atomics
import Dispatch
import Synchronization

/// An object published for readers on many threads that borrow it, without counting references:
/// a reader writes only a hazard slot of its own (`HazardSlots`), never a word that other readers
/// write, so reads from every core scale. The publisher keeps every object it published alive
/// until no slot holds it.
///
/// A reader: claim a slot with the published address, check that address is still published
/// (else move the slot to the newer one), use the object, free the slot. A publisher: publish the
/// new address, then release each older object no slot holds. Both the claim and the publish are
/// sequentially consistent, so either the reader sees the newer address or the publisher sees the
/// slot.
///
/// An older object a reader still holds is released by the reader that frees the last slot
/// holding it, or by the next publish: `releasePending` is raised before every scan that keeps an
/// object, so a reader that frees its slot after that scan sees it (a reader whose slot held an
/// older address, even for a moment before it moved to the newer one, scans then); and a reader
/// that finds the lock taken raises `rescanRequested`, which whoever holds the lock checks once it
/// has let go.
/// Objects are released outside the lock, a reader's on a background queue (a state can be large:
/// its request should not pay for freeing it).
final class BorrowableReference<Object: AnyObject & Sendable>: Sendable {
    private let published = ManagedAtomic<UInt>(0)
    private let slots: HazardSlots
    /// The object published now, as a counted reference: for readers when every slot is taken.
    private let strong = ManagedAtomic<Strong?>(nil)
    /// What the publisher keeps alive: the object published now, and older ones some slot held.
    private let kept = Mutex(Kept())
    /// Whether an older object waits to be released.
    private let releasePending = ManagedAtomic<Bool>(false)
    /// Whether a reader freed a slot while the lock was taken: the holder scans again.
    private let rescanRequested = ManagedAtomic<Bool>(false)
    private let hooks: TestHooks?

    private struct Kept {
        var current: Object?
        var older: [Object] = []
    }

    /// A counted reference for swift-atomics (which needs a class of its own to load atomically).
    private final class Strong: AtomicReference, Sendable {
        let object: Object
        init(_ object: Object) { self.object = object }
    }

    /// Points in the protocol where tests make the other side run (nil outside tests).
    struct TestHooks: Sendable {
        /// After a reader loaded the published address, before it claims a slot.
        var beforeClaim: @Sendable () -> Void = {}
        /// After a reader claimed a slot, before it checks the address is still published.
        var afterClaim: @Sendable () -> Void = {}
        /// After a reader freed its slot, before it looks at `releasePending`.
        var afterSlotFreed: @Sendable () -> Void = {}
    }

    init(slots: Int = 128, testHooks: TestHooks? = nil) {
        self.slots = HazardSlots(count: slots)
        hooks = testHooks
    }

    private static func address(_ object: Object) -> UInt {
        UInt(bitPattern: Unmanaged.passUnretained(object).toOpaque())
    }

    /// Publishes `object`; the one it replaces is released as soon as no reader holds it.
    func store(_ object: Object?) {
        let released = kept.withLock { kept in
            if let current = kept.current { kept.older.append(current) }
            kept.current = object
            strong.store(object.map(Strong.init), ordering: .releasing)
            published.store(object.map(Self.address) ?? 0, ordering: .sequentiallyConsistent)
            return releaseUnheld(&kept)
        }
        withExtendedLifetime(released) {}  // released here, outside the lock
        rescanIfRequested(onBackground: false)
    }

    /// Calls `body` with the object published now (nil when none), borrowed: no reference is
    /// counted, so `body` must not let it escape (a copy it keeps counts a reference as usual).
    /// Never blocks.
    @inline(__always)
    func withBorrowed<R>(_ body: (Object?) throws -> R) rethrows -> R {
        var address = published.load(ordering: .sequentiallyConsistent)
        guard address != 0 else { return try body(nil) }
        hooks?.beforeClaim()
        guard let slot = slots.claim(address) else {
            // Every slot taken (more readers at once than slots): a counted reference instead.
            return try body(strong.load(ordering: .acquiring)?.object)
        }
        hooks?.afterClaim()
        // Whether the slot held another address first: a publisher that scanned then kept that
        // object for this reader, which must then see to its release.
        var moved = false
        while true {
            let now = published.load(ordering: .sequentiallyConsistent)
            if now == address { break }
            moved = true
            if now == 0 {
                freeSlot(slot, reading: address, moved: moved)
                return try body(nil)
            }
            slots.move(slot, to: now)
            address = now
        }
        defer { freeSlot(slot, reading: address, moved: moved) }
        return try Unmanaged<Object>.fromOpaque(UnsafeRawPointer(bitPattern: address).unsafelyUnwrapped)._withUnsafeGuaranteedRef { try body($0) }
    }

    /// `withBorrowed`, with the object as an unmanaged reference: for a reader that only follows
    /// it to other objects it owns (`_withUnsafeGuaranteedRef`), which the compiler would otherwise
    /// retain around the body.
    @inline(__always)
    func withBorrowedUnmanaged<R>(_ body: (Unmanaged<Object>?) throws -> R) rethrows -> R {
        try withBorrowed { object in try body(object.map { Unmanaged.passUnretained($0) }) }
    }

    /// Frees a reader's slot; a reader whose slot held an older object then releases what no slot
    /// holds.
    @inline(__always)
    private func freeSlot(_ slot: Int, reading address: UInt, moved: Bool) {
        slots.release(slot)
        hooks?.afterSlotFreed()
        // Only a slot that held an object no longer published can have kept an older one: a reader
        // of the current object leaves the scan to others (one pinned object does not make every
        // request take the lock).
        if releasePending.load(ordering: .sequentiallyConsistent), moved || address != published.load(ordering: .sequentiallyConsistent) {
            rescanRequested.store(true, ordering: .sequentiallyConsistent)
            rescanIfRequested(onBackground: true)
        }
    }

    /// Scans again while a reader asked for it and the lock is free. A holder checks again after it
    /// lets go (after a full fence: the unlock may be a plain store, and a reader that failed to
    /// take the lock wrote the request before it tried), so a request is never lost.
    private func rescanIfRequested(onBackground: Bool) {
        while true {
            Atomics.atomicMemoryFence(ordering: .sequentiallyConsistent)
            guard rescanRequested.load(ordering: .sequentiallyConsistent) else { return }
            guard let released = kept.withLockIfAvailable({ kept -> [Object] in
                rescanRequested.store(false, ordering: .sequentiallyConsistent)
                return releaseUnheld(&kept)
            }) else { return }
            guard !released.isEmpty else { continue }
            if onBackground {
                let box = Released(released)
                DispatchQueue.global(qos: .utility).async { withExtendedLifetime(box) {} }
            }
        }
    }

    /// Objects handed to a background queue to be released there.
    private final class Released: @unchecked Sendable {  // read by no one: only released
        let objects: [Object]
        init(_ objects: [Object]) { self.objects = objects }
    }

    /// Takes out of `kept` the older objects no slot holds, for the caller to release after the
    /// lock. `releasePending` goes up before the scan, so that a reader freeing a slot the scan
    /// saw taken then sees it, and down only when nothing older is left.
    private func releaseUnheld(_ kept: inout Kept) -> [Object] {
        guard !kept.older.isEmpty else { return [] }
        releasePending.store(true, ordering: .sequentiallyConsistent)
        var released: [Object] = []
        kept.older.removeAll { object in
            let free = !slots.isHeld(Self.address(object))
            if free { released.append(object) }
            return free
        }
        if kept.older.isEmpty { releasePending.store(false, ordering: .sequentiallyConsistent) }
        return released
    }

    /// Older objects kept because a reader held them (for tests).
    var olderKept: Int { kept.withLock { $0.older.count } }
    /// Slots readers hold now (for tests).
    var slotsHeld: Int { slots.claimed }
}
