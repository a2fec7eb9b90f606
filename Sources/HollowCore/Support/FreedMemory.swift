#if canImport(Glibc)
import CMalloc
import Glibc
#endif

/// Memory freed by the process, given back to the system. glibc keeps freed blocks in its heaps
/// (one per thread that allocated), and allocations below its moving mmap threshold come from
/// them: a state's storage freed after a cycle, or what the parts of a step (`ParallelParts`) freed
/// on other threads, would otherwise stay resident until reused (with parts, a PyPI-sized cycle
/// peaked 37 MB higher without it).
package enum FreedMemory {
    /// Fixes the size from which glibc's malloc maps each allocation on its own (`M_MMAP_THRESHOLD`),
    /// for the whole process. Left alone, glibc raises that threshold each time a mapped block is
    /// freed, to as much as 32 MiB: allocations under it then come from heaps that blocks freed
    /// in between fragment, and what they hold stays resident. A scheduled producer's resident
    /// memory crept by tens of MB a cycle so (PyPI: 143 MB after the first cycle, 198 and 250 MB
    /// after the next two; fixed at 1 MiB, 134 to 141 MB after each). Returns whether it was set,
    /// or nil without glibc (glibc refuses more than 32 MiB).
    @discardableResult
    package static func fixMmapThreshold(bytes: Int) -> Bool? {
        #if canImport(Glibc)
        return mallopt(M_MMAP_THRESHOLD, Int32(clamping: bytes)) == 1
        #else
        return nil
        #endif
    }

    static func giveBack() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }
}
