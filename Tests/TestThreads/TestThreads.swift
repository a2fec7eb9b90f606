import Foundation
import Synchronization

/// The test threads, one fewer than the cores (at least one): a test takes one (waiting, without
/// holding a thread, while all are taken), runs on it, and gives it back. The core left over is
/// for the servers, producers and tests that wait on them: with a computing test on every core,
/// an election's takeover and a drill's cycles ran late in the first minutes of a run.
final class TestThreads: Sendable {
    static let shared = TestThreads(count: max(1, ProcessInfo.processInfo.activeProcessorCount - 1))

    private struct State {
        var free: [TestThreadExecutor]
        var waiting: [CheckedContinuation<TestThreadExecutor, Never>] = []
    }

    private let state: Mutex<State>

    private init(count: Int) {
        state = Mutex(State(free: (0..<count).map { TestThreadExecutor(name: "test thread \($0)") }))
    }

    /// Runs `body` with a test thread as its task's executor preference: its synchronous code and
    /// every nonisolated async function it calls run there, and so do the child tasks it starts
    /// (a task group's, `async let`), one after another: a test whose tasks must run at once
    /// starts them with `addTask(executorPreference: globalConcurrentExecutor)`. Tasks started
    /// with `Task {}` do not inherit the preference.
    func run(_ body: @Sendable () async throws -> Void) async throws {
        let thread = await take()
        defer { give(thread) }
        try await withTaskExecutorPreference(thread) { try await body() }
    }

    private func take() async -> TestThreadExecutor {
        await withCheckedContinuation { continuation in
            let thread = state.withLock { state -> TestThreadExecutor? in
                if let thread = state.free.popLast() { return thread }
                state.waiting.append(continuation)
                return nil
            }
            if let thread { continuation.resume(returning: thread) }
        }
    }

    private func give(_ thread: TestThreadExecutor) {
        let next = state.withLock { state -> CheckedContinuation<TestThreadExecutor, Never>? in
            if state.waiting.isEmpty {
                state.free.append(thread)
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume(returning: thread)
    }
}
