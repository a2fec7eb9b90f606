import Atomics
import Synchronization

/// A fixed number of slots, each set at most once to an object, then read by many threads with
/// one plain atomic load and no reference counting: the slots own what they were set to (a
/// strong reference under a lock), and a reader borrows it for as long as it borrows the owner of
/// the slots. A slot may also be set to "none" (a failure remembered, so that it is not retried).
///
/// The per-version store of `ConsumerView`s: a view's handles are made once per `ConsumerState`.
final class SetOnceReferences: Sendable {
    /// Per slot: 0 unset, 1 set to none, else the address of the object.
    private let words: [ManagedAtomic<UInt>]
    private let owned = Mutex<[(any AnyObject & Sendable)?]>([])
    private static let none: UInt = 1

    enum Slot<Object: AnyObject> {
        case unset, none
        case object(Unmanaged<Object>)
    }

    init(count: Int) {
        words = (0..<count).map { _ in ManagedAtomic<UInt>(0) }
        owned.withLock { $0 = Array(repeating: nil, count: count) }
    }

    var count: Int { words.count }

    /// What slot `index` holds; the object is borrowed (valid while this instance lives).
    @inline(__always)
    func slot<Object: AnyObject>(_ index: Int, as type: Object.Type) -> Slot<Object> {
        let word = words[index].load(ordering: .acquiring)
        switch word {
        case 0: return .unset
        case SetOnceReferences.none: return .none
        default: return .object(Unmanaged<Object>.fromOpaque(UnsafeRawPointer(bitPattern: word).unsafelyUnwrapped))
        }
    }

    /// Sets slot `index` to `object` (nil: none) unless it was set; returns what the slot holds after.
    func set<Object: AnyObject & Sendable>(_ index: Int, to object: Object?) -> Slot<Object> {
        owned.withLock { owned in
            if words[index].load(ordering: .acquiring) == 0 {
                owned[index] = object
                let word = object.map { UInt(bitPattern: Unmanaged.passUnretained($0).toOpaque()) } ?? SetOnceReferences.none
                words[index].store(word, ordering: .releasing)
            }
        }
        return slot(index, as: Object.self)
    }
}
