import CMemoryStats
#if canImport(Glibc)
import Glibc
#endif

/// What the process holds now: heap bytes in use (glibc's mallinfo2, every arena, mmapped chunks
/// included) and resident pages (/proc/self/statm).
public struct MemorySample: Sendable {
    public let heapBytes: Int
    public let residentBytes: Int

    public static func now(trim: Bool = true) -> MemorySample {
        if trim { hollow_bench_heap_trim() }
        return MemorySample(heapBytes: hollow_bench_heap_in_use(), residentBytes: residentBytes())
    }

    /// Resident set size from /proc/self/statm (0 where there is none).
    static func residentBytes() -> Int {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var size = 0, resident = 0
        let matched = withUnsafeMutablePointer(to: &size) { sizePointer in
            withUnsafeMutablePointer(to: &resident) { residentPointer in
                withVaList([sizePointer, residentPointer]) { vfscanf(file, "%ld %ld", $0) }
            }
        }
        return matched == 2 ? resident * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }

    /// Growth from `earlier` to `self`.
    public func since(_ earlier: MemorySample) -> MemorySample {
        MemorySample(heapBytes: heapBytes - earlier.heapBytes, residentBytes: residentBytes - earlier.residentBytes)
    }
}

/// CPU time of the calling thread, in nanoseconds: unlike the wall clock it does not count the
/// time the thread waits while other processes run on its core (this machine has two cores, shared).
public func threadCPUNanoseconds() -> Int {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return time.tv_sec * 1_000_000_000 + time.tv_nsec
}
