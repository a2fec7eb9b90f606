import HollowCore

/// A check of a new state before it is announced. Validators run after the cycle's blobs are
/// stored and before the announcement; one that fails stops the announcement, and the producer
/// goes back to the last announced state.
public protocol Validator: Sendable {
    /// Names the validator in errors and logs.
    var name: String { get }
    func validate(_ context: ValidationContext) -> ValidationResult
}

public enum ValidationResult: Sendable, Equatable {
    case passed
    case failed(String)
}

/// What a validator sees: the new state as consumers will read it, and the one it replaces.
public struct ValidationContext: Sendable {
    public let version: UInt64
    public let state: ReadState
    /// The last announced version and its state (nil for the first version).
    public let previousVersion: UInt64?
    public let previousState: ReadState?
    /// Per type: records added, removed, and records in the new state.
    public let changes: [String: TypeChangeSummary]
}

/// Fails when the record count of a type moved by more than a percentage since the last announced
/// version: the guard against a half-read source file that would announce a dataset cut in half.
public struct RecordCountChangeValidator: Validator {
    public let type: String
    public let maximumChangePercent: Double

    public init(type: String, maximumChangePercent: Double) {
        precondition(maximumChangePercent >= 0, "a percentage is not negative")
        self.type = type
        self.maximumChangePercent = maximumChangePercent
    }

    public var name: String { "record count change of \(type)" }

    public func validate(_ context: ValidationContext) -> ValidationResult {
        guard let previous = context.previousState else { return .passed }
        let before = previous.recordCount(type)
        let after = context.state.recordCount(type)
        guard before > 0 else { return .passed }
        let change = Double(after - before) / Double(before) * 100
        if abs(change) > maximumChangePercent {
            return .failed("\(type) went from \(before) to \(after) records (\(Self.percent(change))), more than the \(Self.percent(maximumChangePercent)) allowed")
        }
        return .passed
    }

    static func percent(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return "\(rounded)%"
    }
}

/// Fails when a type has fewer records than a minimum: an empty or truncated source.
public struct MinimumRecordCountValidator: Validator {
    public let type: String
    public let minimum: Int

    public init(type: String, minimum: Int) {
        self.type = type
        self.minimum = minimum
    }

    public var name: String { "minimum record count of \(type)" }

    public func validate(_ context: ValidationContext) -> ValidationResult {
        let count = context.state.recordCount(type)
        return count >= minimum ? .passed : .failed("\(type) has \(count) records, fewer than the minimum \(minimum)")
    }
}
