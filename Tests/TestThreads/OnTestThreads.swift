import Testing

/// Runs each test of a suite on a test thread (`TestThreads`), one fewer at a time than the cores,
/// instead of on Swift's cooperative pool: for suites whose tests compute (property tests, large
/// states), so that they never hold the pool that tests waiting on servers and consumers need.
public struct OnTestThreads: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    /// A scope for each test case, none for a suite or a whole parameterized test: a suite that
    /// held a thread while its tests waited for one could take them all.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite || testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        try await TestThreads.shared.run(function)
    }
}

extension Trait where Self == OnTestThreads {
    /// See `OnTestThreads`.
    public static var onTestThreads: Self { OnTestThreads() }
}
