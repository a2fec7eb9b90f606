import Foundation

/// Runs `body` on a new thread with a 512 KiB stack (a secondary thread's default on macOS; tasks
/// run on such threads there) and returns what it returns. A reader that recursed once per level
/// of nesting would overflow that stack on deep input and take the test process down.
public func onSmallStack<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 512 * 1024
        thread.start()
    }
}
