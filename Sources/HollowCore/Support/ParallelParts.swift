import CMalloc
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs independent parts of one piece of work on the processors there are, for the producer's
/// large synchronous steps (building a type's storage). The caller waits for every part.
enum ParallelParts {
    /// Processors online, at least 1.
    static let processorCount: Int = Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// `body(0) ..< body(count)`, each part on a thread of Dispatch's pool (the caller's among
    /// them), in order. A part must not touch what another part writes.
    static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        if count <= 1 { return count == 1 ? [body(0)] : [] }
        return withoutActuallyEscaping(body) { body in
            [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                let work = Work(results: buffer.baseAddress.unsafelyUnwrapped, body: body)
                DispatchQueue.concurrentPerform(iterations: count) { index in work.run(index) }
                initialized = count
            }
        }
    }

    /// Gives back to the system the memory that parts freed on other threads. glibc keeps what a
    /// thread frees in that thread's own arena, where it stays resident after the work is done:
    /// without this, a PyPI-sized cycle peaked 37 MB higher with parts than without.
    static func returnFreedMemory() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }

    /// The parts' shared view: where each result goes and the work. Unchecked because the parts
    /// run at once: each index is initialized by exactly one part, and the caller promises that
    /// the parts do not write what another reads; the results are read only after every part returned.
    private struct Work<T>: @unchecked Sendable {
        let results: UnsafeMutablePointer<T>
        let body: (Int) -> T

        func run(_ index: Int) { (results + index).initialize(to: body(index)) }
    }
}
