import Foundation

/// A task executor that runs its jobs on one thread of its own, in the order they come.
///
/// Swift's cooperative pool has one thread a core. A test that computes for a minute holds one of
/// them, and every task enqueued behind it (a consumer's watch loop in another test, the next
/// step of a test that waited) waits for it; on two cores, two such tests stall the whole run.
/// A test that runs here holds this thread instead.
final class TestThreadExecutor: TaskExecutor, @unchecked Sendable {  // `jobs` is guarded by `condition`
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init(name: String) {
        let thread = Thread { [unowned(unsafe) self] in self.run() }
        thread.name = name
        thread.stackSize = 8 << 20  // a cooperative thread's on Linux
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// The thread's loop. A `TestThreadExecutor` lives as long as the process (`TestThreads.shared`),
    /// so a job enqueued late, after the test that gave the preference has ended, still runs.
    private func run() -> Never {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
