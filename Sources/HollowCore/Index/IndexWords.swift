/// The 32-bit words of an index table (its slots, or its chain): owned memory, or a view of a
/// storage in a mapped state image (`StateImage`), which a consumer serves from at once when it
/// restarts.
///
/// A reference type shared by the indexes of successive states, copied on the first write by a
/// table that does not hold it alone (`IndexTable.makeUnique()`), as an array would be. Words are
/// read through a plain pointer: no bounds check on the probe path, where the table's mask keeps
/// every slot in range, and no reference counting of an array buffer.
@usableFromInline
final class IndexWords: @unchecked Sendable {  // mutated only while its table holds it alone
    @usableFromInline let base: UnsafeMutablePointer<UInt32>
    @usableFromInline let count: Int
    /// The mapped storage the words are viewed in; nil when they were allocated here.
    private let mapped: BitStorage?

    /// `count` zero words.
    init(zeros count: Int) {
        precondition(count >= 0, "negative word count")
        base = UnsafeMutablePointer<UInt32>.allocate(capacity: Swift.max(count, 1))
        base.initialize(repeating: 0, count: Swift.max(count, 1))
        HugePages.advise(UnsafeMutableRawBufferPointer(start: base, count: count * 4))
        self.count = count
        mapped = nil
    }

    /// A copy of `other`'s words, followed by zeros up to `count` words.
    init(copying other: IndexWords, count: Int) {
        precondition(count >= other.count, "a copy may only grow")
        base = UnsafeMutablePointer<UInt32>.allocate(capacity: Swift.max(count, 1))
        HugePages.advise(UnsafeMutableRawBufferPointer(start: base, count: count * 4))
        base.initialize(from: other.base, count: other.count)
        (base + other.count).initialize(repeating: 0, count: Swift.max(count, 1) - other.count)
        self.count = count
        mapped = nil
    }

    /// The first `count` words of `storage`, a view of a mapped image (8-byte aligned), read only:
    /// a table that changes them copies them first.
    init(viewing storage: BitStorage, count: Int) {
        precondition(count >= 0 && count * 4 <= storage.byteCount, "\(count) index words in \(storage.byteCount) bytes")
        precondition(Int(bitPattern: storage.handle.base) & 3 == 0, "index words must be 4-byte aligned")
        base = storage.handle.base.bindMemory(to: UInt32.self, capacity: Swift.max(count, 1))
        self.count = count
        mapped = storage
    }

    deinit {
        if mapped == nil { base.deallocate() }
    }

    /// Whether the words are a view of a mapped image (and must be copied before a write).
    var isMapped: Bool { mapped != nil }

    @inlinable @inline(__always)
    subscript(index: Int) -> UInt32 {
        get {
            assert(index >= 0 && index < count, "index word \(index) out of \(count)")
            return base[index]
        }
        set {
            assert(index >= 0 && index < count, "index word \(index) out of \(count)")
            base[index] = newValue
        }
    }

    var buffer: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(start: base, count: count) }
}
