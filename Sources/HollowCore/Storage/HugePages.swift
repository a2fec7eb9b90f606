#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back large, randomly accessed tables (the write state's dedup table, record
/// entries and byte arena) with 2 MiB pages where it can (Linux transparent huge pages in `madvise`
/// mode). A random look-up in a table of tens of megabytes otherwise pays a TLB miss on top of the
/// cache miss. Only advice: contents and behaviour are the same either way.
enum HugePages {
    static let pageBytes = 2 << 20

    /// An array of `count` copies of `value`, advised before its pages are first touched.
    static func array<Element: BitwiseCopyable>(repeating value: Element, count: Int) -> [Element] {
        Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            advise(UnsafeMutableRawBufferPointer(buffer))
            buffer.initialize(repeating: value)
            initialized = count
        }
    }

    /// Grows `array`'s capacity to at least `minimumCapacity` (doubling), advising the new storage
    /// before the old elements are copied into it.
    static func reserve<Element: BitwiseCopyable>(_ array: inout [Element], minimumCapacity: Int) {
        guard minimumCapacity > array.capacity else { return }
        let capacity = Swift.max(minimumCapacity, array.capacity * 2)
        guard capacity * MemoryLayout<Element>.stride >= pageBytes else {
            array.reserveCapacity(capacity)
            return
        }
        let count = array.count
        array = array.withUnsafeBufferPointer { old in
            Array(unsafeUninitializedCapacity: capacity) { buffer, initialized in
                advise(UnsafeMutableRawBufferPointer(buffer))
                _ = buffer.initialize(from: old)
                initialized = count
            }
        }
    }

    /// Advises the whole 2 MiB pages inside `buffer`.
    static func advise(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard let base = buffer.baseAddress, buffer.count >= pageBytes else { return }
        let start = (Int(bitPattern: base) + pageBytes - 1) & ~(pageBytes - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(pageBytes - 1)
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE)
        #endif
    }
}
