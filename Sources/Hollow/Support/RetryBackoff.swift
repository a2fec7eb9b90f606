/// Exponential backoff with jitter: `initial`, doubling per failure, at most `maximum`.
public struct RetryBackoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(60)) {
        precondition(initial > .zero && maximum >= initial, "backoff needs 0 < initial <= maximum")
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait after `failures` failures in a row (1 or more): between half and all of the
    /// doubled delay, so that many consumers do not retry in step.
    public func delay(afterFailures failures: Int) -> Duration {
        var delay = initial
        for _ in 1..<max(1, min(failures, 32)) where delay < maximum { delay *= 2 }
        delay = min(delay, maximum)
        return delay * Double.random(in: 0.5...1.0)
    }
}
