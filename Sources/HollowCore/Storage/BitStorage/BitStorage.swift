#if canImport(Glibc)
import Glibc
#endif

/// Owned, zero-initialised raw memory holding bit-packed values.
///
/// The allocation is rounded up to whole 64-bit words and followed by two padding words, so that
/// an unaligned 64-bit load (or a pair of them, for values that straddle a word) at any bit inside
/// `bitCount` never runs off the end. Contents are written only while a state is being built; once
/// the owning state is published the storage is never written again, so it can be shared freely
/// between threads and between successive states.
@usableFromInline
final class BitStorage: @unchecked Sendable {
    @usableFromInline let handle: _UnsafeHandle
    /// Bytes that hold data (excluding the padding words).
    let byteCount: Int
    /// The state image the bits are viewed in; nil when they were allocated here.
    private let mapping: MappedFile?

    /// Allocates storage for `bitCount` bits, zeroed unless the caller overwrites every data byte
    /// (`zeroed: false`); the padding words are always zero.
    init(bitCount: Int, zeroed: Bool = true) {
        precondition(bitCount >= 0, "negative bit count")
        let words = (bitCount + 63) >> 6
        byteCount = words << 3
        let allocated = byteCount + 16 + BitStorage.frozenFlagBytes
        let pointer: UnsafeMutableRawPointer
        if byteCount + 16 >= BitStorage.hugePageBytes {
            // Large buffers on huge pages: first touch of fresh 4 KiB pages costs more than
            // decompressing into them.
            pointer = UnsafeMutableRawPointer.allocate(byteCount: allocated, alignment: BitStorage.hugePageBytes)
            #if os(Linux)
            _ = madvise(pointer, allocated, MADV_HUGEPAGE)
            #endif
        } else {
            pointer = UnsafeMutableRawPointer.allocate(byteCount: allocated, alignment: 8)
        }
        if zeroed {
            pointer.initializeMemory(as: UInt8.self, repeating: 0, count: allocated)
        } else {
            (pointer + byteCount).initializeMemory(as: UInt8.self, repeating: 0, count: 16 + BitStorage.frozenFlagBytes)
        }
        handle = _UnsafeHandle(base: pointer, bitCapacity: words << 6)
        mapping = nil
    }

    /// A view of `byteCount` bytes (whole words) at `address` in a mapped state image, which
    /// follows them with zero padding (`ByteWriter.storagePadding`). Never written: the image
    /// holds a published state, and the mapping is read-only.
    init(mappedAt address: UnsafeRawPointer, byteCount: Int, in mapping: MappedFile) {
        precondition(byteCount >= 0 && byteCount & 7 == 0, "mapped storage of \(byteCount) bytes, not whole words")
        self.byteCount = byteCount
        handle = _UnsafeHandle(base: UnsafeMutableRawPointer(mutating: address), bitCapacity: byteCount << 3)
        self.mapping = mapping
    }

    /// Allocates storage for `byteCount` bytes whose contents the caller fills in through `body`.
    /// The padding is zeroed; the data bytes are zeroed too, because a reader may fill fewer.
    convenience init(byteCount: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        self.init(bitCount: byteCount << 3)
        try body(UnsafeMutableRawBufferPointer(start: handle.base, count: byteCount))
    }

    deinit {
        if mapping == nil { handle.base.deallocate() }
    }

    static let hugePageBytes = 2 << 20

    /// Bytes resident for this storage, padding included.
    var residentBytes: Int { byteCount + 16 }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: handle.base, count: byteCount) }

    /// Whether `other` is this storage or holds the same bytes.
    func hasSameBytes(as other: BitStorage) -> Bool {
        self === other || (byteCount == other.byteCount && memcmp(handle.base, other.handle.base, byteCount) == 0)
    }
}

// MARK: Frozen storage

// A published state's storage is never written again (readers on other threads share it). Debug
// and internal-checks builds keep a flag word after the padding, set when the state is published;
// a write through the handle then traps. Release builds have neither the word nor the check.
extension BitStorage {
    #if DEBUG || HOLLOW_INTERNAL_CHECKS
    static let frozenFlagBytes = 8
    #else
    static let frozenFlagBytes = 0
    #endif

    /// Marks the storage as published. Idempotent: storage shared by successive states is frozen
    /// by the first, and only read (never written) by the others.
    @inline(__always)
    func freeze() {
        #if DEBUG || HOLLOW_INTERNAL_CHECKS
        // Mapped storage has no flag of its own (its mapping is read-only).
        if mapping == nil && !handle._isFrozen { handle._frozenFlag.storeBytes(of: 1, as: UInt8.self) }
        #endif
    }

    /// Whether the storage was published (always false in release builds, which do not track it,
    /// except for mapped storage, which is published from the start).
    var isFrozen: Bool { mapping != nil || handle._isFrozen }
}
