import Atomics
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed number of slots, each made at most once into an object (or into "none", a failure
/// remembered so that it is not tried again), then read by many threads with one plain atomic
/// load and no reference counting: the slots own what they hold (strong references under a lock,
/// never cleared), and a reader borrows it for as long as it borrows the owner of the slots.
///
/// The per-version store of `ConsumerView`s: a view's handles are made once per `ConsumerState`.
final class SetOnceReferences: @unchecked Sendable {  // atomic words; `owned` under its lock
    /// Per slot: 0 unset, 1 none, 2 being made, else the address of the object.
    private let words: UnsafeMutablePointer<UnsafeAtomic<UInt>.Storage>
    private let owned: Mutex<[(any AnyObject & Sendable)?]>
    let count: Int
    private static let none: UInt = 1
    private static let beingMade: UInt = 2

    enum Slot<Object: AnyObject> {
        case unset, none
        case object(Unmanaged<Object>)
    }

    init(count: Int) {
        self.count = count
        words = .allocate(capacity: count)
        words.initialize(repeating: UnsafeAtomic<UInt>.Storage(0), count: count)
        owned = Mutex(Array(repeating: nil, count: count))
    }

    deinit {
        for index in 0..<count { _ = words[index].dispose() }
        words.deinitialize(count: count)
        words.deallocate()
    }

    @inline(__always)
    private func word(_ index: Int) -> UnsafeAtomic<UInt> {
        precondition(index >= 0 && index < count, "slot \(index) of \(count)")
        return UnsafeAtomic(at: words + index)
    }

    /// What slot `index` holds; the object is borrowed (valid while this instance lives). A slot
    /// being made reads as unset.
    @inline(__always)
    func slot<Object: AnyObject>(_ index: Int, as type: Object.Type) -> Slot<Object> {
        let word = word(index).load(ordering: .acquiring)
        switch word {
        case 0, SetOnceReferences.beingMade: return .unset
        case SetOnceReferences.none: return .none
        default: return .object(Unmanaged<Object>.fromOpaque(UnsafeRawPointer(bitPattern: word).unsafelyUnwrapped))
        }
    }

    /// Makes slot `index` with `make` (nil: none) unless it is made; when another thread is making
    /// it, waits for that thread (`make` must not read the slot it makes). Returns what it holds.
    func make<Object: AnyObject & Sendable>(_ index: Int, _ make: () -> Object?) -> Slot<Object> {
        if word(index).compareExchange(expected: 0, desired: SetOnceReferences.beingMade, ordering: .acquiringAndReleasing).exchanged {
            let object = make()
            owned.withLock { $0[index] = object }
            word(index).store(object.map { UInt(bitPattern: Unmanaged.passUnretained($0).toOpaque()) } ?? SetOnceReferences.none,
                              ordering: .releasing)
        } else {
            while word(index).load(ordering: .acquiring) == SetOnceReferences.beingMade { sched_yield() }
        }
        return slot(index, as: Object.self)
    }
}
