import HollowCore

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
