import Atomics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed set of hazard slots: atomic words, one per cache line, each holding the address of an
/// object a reader is using (0: free). A reader claims a free slot by writing its address there,
/// so that whoever would release the object sees it is in use. A thread starts at a slot of its
/// own (a hash of its id), so that concurrent readers write different cache lines.
///
/// The raw storage of `BorrowableReference`; the only unsafe memory of the consumer's read path.
final class HazardSlots: @unchecked Sendable {  // atomic words only
    /// Slots, each on a cache line of its own (no false sharing between readers).
    let count: Int
    private static let stride = 64
    private let base: UnsafeMutableRawPointer

    init(count: Int) {
        precondition(count > 0 && count & (count - 1) == 0, "a power of two of slots")
        self.count = count
        base = UnsafeMutableRawPointer.allocate(byteCount: count * HazardSlots.stride, alignment: HazardSlots.stride)
        for slot in 0..<count {
            (base + slot * HazardSlots.stride).bindMemory(to: UnsafeAtomic<UInt>.Storage.self, capacity: 1)
                .initialize(to: UnsafeAtomic<UInt>.Storage(0))
        }
    }

    deinit {
        for slot in 0..<count {
            _ = (base + slot * HazardSlots.stride).assumingMemoryBound(to: UnsafeAtomic<UInt>.Storage.self).pointee.dispose()
        }
        base.deallocate()
    }

    @inline(__always)
    private func word(_ slot: Int) -> UnsafeAtomic<UInt> {
        UnsafeAtomic(at: (base + (slot & (count - 1)) * HazardSlots.stride).assumingMemoryBound(to: UnsafeAtomic<UInt>.Storage.self))
    }

    /// The slot this thread tries first.
    @inline(__always)
    func home() -> Int {
        #if canImport(Glibc)
        let id = UInt64(pthread_self())
        #elseif canImport(Darwin)
        let id = UInt64(UInt(bitPattern: pthread_self()))
        #else
        let id: UInt64 = 0  // every thread starts at slot 0: correct, but its cache line is shared
        #endif
        return Int(truncatingIfNeeded: (id &* 0x9E37_79B9_7F4A_7C15) >> 40) & (count - 1)
    }

    /// Claims a free slot for `address` (not 0), starting at the thread's own: the slot, or nil when
    /// every slot is taken. The write is sequentially consistent: a reader then checks the object is
    /// still published, and a publisher that stored a new one before that check sees this slot.
    @inline(__always)
    func claim(_ address: UInt) -> Int? {
        assert(address != 0, "a hazard on no object")
        let start = home()
        for step in 0..<count {
            let slot = (start &+ step) & (count - 1)
            if word(slot).compareExchange(expected: 0, desired: address, ordering: .sequentiallyConsistent).exchanged {
                return slot
            }
        }
        return nil
    }

    /// Moves a claimed slot to another object (the reader saw a newer one published).
    @inline(__always)
    func move(_ slot: Int, to address: UInt) {
        assert(address != 0 && word(slot).load(ordering: .relaxed) != 0, "moving a slot not claimed")
        word(slot).store(address, ordering: .sequentiallyConsistent)
    }

    /// Frees a claimed slot once the reader is done with the object. Sequentially consistent: the
    /// reader then looks whether a publisher kept an object for it, and a publisher raises that
    /// flag before it scans, so one of the two sees the other.
    @inline(__always)
    func release(_ slot: Int) {
        assert(word(slot).load(ordering: .relaxed) != 0, "releasing a free slot")
        word(slot).store(0, ordering: .sequentiallyConsistent)
    }

    /// Whether any slot holds `address`.
    func isHeld(_ address: UInt) -> Bool {
        (0..<count).contains { word($0).load(ordering: .sequentiallyConsistent) == address }
    }

    /// Slots claimed now (for tests and invariant checks).
    var claimed: Int { (0..<count).count { word($0).load(ordering: .sequentiallyConsistent) != 0 } }
}
