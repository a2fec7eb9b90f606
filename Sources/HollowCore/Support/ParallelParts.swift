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
    /// The processors this process may run on (its affinity mask, where the system has one), at
    /// least 1 and at most 8: a part may read all of its step's input (`countValues`), so parts
    /// beyond the cores a container really has would only repeat work.
    static let processorCount: Int = {
        let count = allowedProcessors() ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return Swift.min(8, Swift.max(1, count))
    }()

    /// The processors of this process's affinity mask: the bits of `Cpus_allowed` in
    /// `/proc/self/status` (Swift's Glibc module leaves `sched_getaffinity` out); nil where there
    /// is no such file.
    static func allowedProcessors() -> Int? {
        #if os(Linux)
        let descriptor = open("/proc/self/status", O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 1 << 15)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return allowedProcessors(status: String(decoding: bytes[..<count], as: UTF8.self))
        #else
        return nil
        #endif
    }

    /// The bits of the `Cpus_allowed:` line of a `/proc/PID/status` text (hex words, commas between).
    static func allowedProcessors(status: String) -> Int? {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return nil }
        var bits = 0
        for character in line.dropFirst("Cpus_allowed:".count) where character != "," && character != " " && character != "\t" {
            guard let digit = character.hexDigitValue else { return nil }
            bits += digit.nonzeroBitCount
        }
        return bits > 0 ? bits : nil
    }

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

    /// The parts' shared view: where each result goes and the work. Unchecked because the parts
    /// run at once: each index is initialized by exactly one part, and the caller promises that
    /// the parts do not write what another reads; the results are read only after every part returned.
    private struct Work<T>: @unchecked Sendable {
        let results: UnsafeMutablePointer<T>
        let body: (Int) -> T

        func run(_ index: Int) { (results + index).initialize(to: body(index)) }
    }
}
