import Atomics
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
/// slot. An older object a reader still holds is released later: by the next publish, or by the
/// reader that frees the last slot holding it.
final class BorrowableReference<Object: AnyObject & Sendable>: Sendable {
    private let published = ManagedAtomic<UInt>(0)
    private let slots: HazardSlots
    /// What the publisher keeps alive: the object published now, and older ones some slot held.
    private let kept = Mutex(Kept())
    /// Whether an older object waits to be released (a reader that frees a slot then tries).
    private let releasePending = ManagedAtomic<Bool>(false)

    private struct Kept {
        var current: Object?
        var older: [Object] = []
    }

    init(slots: Int = 128) {
        self.slots = HazardSlots(count: slots)
    }

    private static func address(_ object: Object) -> UInt {
        UInt(bitPattern: Unmanaged.passUnretained(object).toOpaque())
    }

    /// The object published now, as a strong reference.
    func load() -> Object? { kept.withLock { $0.current } }

    /// Publishes `object`; the one it replaces is released as soon as no reader holds it.
    func store(_ object: Object?) {
        kept.withLock { kept in
            if let current = kept.current { kept.older.append(current) }
            kept.current = object
            published.store(object.map(Self.address) ?? 0, ordering: .sequentiallyConsistent)
            releaseUnheld(&kept)
        }
    }

    /// Calls `body` with the object published now (nil when none), borrowed: no reference is
    /// counted, so `body` must not let it escape (a copy it keeps counts a reference as usual).
    /// Never blocks.
    @inline(__always)
    func withBorrowed<R>(_ body: (Object?) throws -> R) rethrows -> R {
        var address = published.load(ordering: .sequentiallyConsistent)
        guard address != 0 else { return try body(nil) }
        guard let slot = slots.claim(address) else {
            // Every slot taken (more readers at once than slots): a counted reference instead.
            return try body(load())
        }
        defer {
            slots.release(slot)
            if releasePending.load(ordering: .relaxed) { releaseUnheldIfFree() }
        }
        while true {
            let now = published.load(ordering: .sequentiallyConsistent)
            if now == address { break }
            if now == 0 { return try body(nil) }
            slots.move(slot, to: now)
            address = now
        }
        return try Unmanaged<Object>.fromOpaque(UnsafeRawPointer(bitPattern: address).unsafelyUnwrapped)._withUnsafeGuaranteedRef { try body($0) }
    }

    private func releaseUnheldIfFree() {
        _ = kept.withLockIfAvailable { releaseUnheld(&$0) }
    }

    /// Releases the older objects no slot holds. Under the lock: the publisher's order of publish,
    /// then scan, is what makes a claimed slot visible to it.
    private func releaseUnheld(_ kept: inout Kept) {
        kept.older.removeAll { !slots.isHeld(Self.address($0)) }
        releasePending.store(!kept.older.isEmpty, ordering: .relaxed)
    }

    /// Older objects kept because a reader held them (for tests).
    var olderKept: Int { kept.withLock { $0.older.count } }
    /// Slots readers hold now (for tests).
    var slotsHeld: Int { slots.claimed }
}
