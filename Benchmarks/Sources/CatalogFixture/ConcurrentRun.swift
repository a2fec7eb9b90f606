import Foundation
import Synchronization

/// What `concurrentRun` measured, in nanoseconds: each thread's wall time, and the makespan, from
/// the first thread's start to the last one's end (what throughput over all threads divides by).
public struct ConcurrentTimes: Sendable {
    public var perThread: [Double]
    public var makespan: Double
}

/// Runs `body(thread)` on `threadCount` threads that start together, for benchmarks of requests
/// served on every core at once.
public func concurrentRun(threads threadCount: Int, _ body: @escaping @Sendable (Int) -> Void) -> ConcurrentTimes {
    let run = ConcurrentRunState(threadCount)
    for thread in 0..<threadCount {
        Thread {
            // Every thread starts when all are ready, so that they run at the same time.
            run.ready.add(1, ordering: .acquiringAndReleasing)
            while run.ready.load(ordering: .acquiring) < threadCount {}
            let start = ContinuousClock.now
            body(thread)
            let end = ContinuousClock.now
            run.intervals.withLock { $0[thread] = (start, end) }
            run.done.add(1, ordering: .releasing)
        }.start()
    }
    while run.done.load(ordering: .acquiring) < threadCount { usleep(200) }
    let intervals = run.intervals.withLock { $0 }
    func nanoseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
    }
    let first = intervals.map(\.start).min()!, last = intervals.map(\.end).max()!
    return ConcurrentTimes(perThread: intervals.map { nanoseconds($0.end - $0.start) }, makespan: nanoseconds(last - first))
}

private final class ConcurrentRunState: Sendable {
    let ready = Atomic<Int>(0)
    let done = Atomic<Int>(0)
    let intervals: Mutex<[(start: ContinuousClock.Instant, end: ContinuousClock.Instant)]>
    init(_ count: Int) { intervals = Mutex(Array(repeating: (.now, .now), count: count)) }
}
