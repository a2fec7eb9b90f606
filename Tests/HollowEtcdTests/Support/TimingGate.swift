/// Keeps the test that starves the concurrency pool on purpose apart from the tests that measure
/// times: measuring tests run together (shared), the starving one alone (exclusive). Other tests
/// ignore it.
actor TimingGate {
    static let shared = TimingGate()

    private var measuring = 0
    private var starving = false
    private var waiting: [(exclusive: Bool, continuation: CheckedContinuation<Void, Never>)] = []

    /// Runs `body` beside other measuring tests, never beside the starving one.
    static func measuring<T>(_ body: () async throws -> T) async rethrows -> T {
        try await run(exclusive: false, body)
    }

    /// Runs `body` alone among the gated tests.
    static func starving<T>(_ body: () async throws -> T) async rethrows -> T {
        try await run(exclusive: true, body)
    }

    private static func run<T>(exclusive: Bool, _ body: () async throws -> T) async rethrows -> T {
        await shared.acquire(exclusive: exclusive)
        do {
            let result = try await body()
            await shared.release(exclusive: exclusive)
            return result
        } catch {
            await shared.release(exclusive: exclusive)
            throw error
        }
    }

    private func acquire(exclusive: Bool) async {
        if canEnter(exclusive: exclusive) && waiting.isEmpty {
            enter(exclusive: exclusive)
        } else {
            await withCheckedContinuation { waiting.append((exclusive, $0)) }
        }
    }

    private func release(exclusive: Bool) {
        if exclusive { starving = false } else { measuring -= 1 }
        // Wake in order, as many as may enter together.
        while let first = waiting.first, canEnter(exclusive: first.exclusive) {
            waiting.removeFirst()
            enter(exclusive: first.exclusive)
            first.continuation.resume()
        }
    }

    private func canEnter(exclusive: Bool) -> Bool { exclusive ? measuring == 0 && !starving : !starving }

    private func enter(exclusive: Bool) {
        if exclusive { starving = true } else { measuring += 1 }
    }
}
