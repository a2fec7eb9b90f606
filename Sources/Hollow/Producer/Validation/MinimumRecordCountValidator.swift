import HollowCore

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
