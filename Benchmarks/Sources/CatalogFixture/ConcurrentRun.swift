import Foundation
import Synchronization

/// Runs `body(thread)` on `threadCount` threads that start together, for benchmarks of requests
/// served on every core at once; returns each thread's wall time in nanoseconds.
public func concurrentRun(threads threadCount: Int, _ body: @escaping @Sendable (Int) -> Void) -> [Double] {
    let run = ConcurrentRunState(threadCount)
    for thread in 0..<threadCount {
        Thread {
            // Every thread starts when all are ready, so that they run at the same time.
            run.ready.add(1, ordering: .acquiringAndReleasing)
            while run.ready.load(ordering: .acquiring) < threadCount {}
            let start = ContinuousClock.now
            body(thread)
            let elapsed = ContinuousClock.now - start
            run.elapsed.withLock { $0[thread] = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9 }
            run.done.add(1, ordering: .releasing)
        }.start()
    }
    while run.done.load(ordering: .acquiring) < threadCount { usleep(200) }
    return run.elapsed.withLock { $0 }
}

private final class ConcurrentRunState: Sendable {
    let ready = Atomic<Int>(0)
    let done = Atomic<Int>(0)
    let elapsed: Mutex<[Double]>
    init(_ count: Int) { elapsed = Mutex(Array(repeating: 0, count: count)) }
}
