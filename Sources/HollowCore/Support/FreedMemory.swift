#if canImport(Glibc)
import CMalloc
import Glibc
#endif

/// Memory freed by the process, given back to the system. glibc keeps freed blocks in its heaps
/// (one per thread that allocated), and allocations below its moving mmap threshold come from
/// them: a state's storage freed after a cycle, or what the parts of a step (`ParallelParts`) freed
/// on other threads, would otherwise stay resident until reused (with parts, a PyPI-sized cycle
/// peaked 37 MB higher without it).
enum FreedMemory {
    static func giveBack() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }
}
