import HollowCore

/// What a ``Validator`` decided about a new state.
public enum ValidationResult: Sendable, Equatable {
    /// The state may be announced.
    case passed
    /// The state must not be announced, for the reason given; the cycle fails with
    /// ``ProducerError/validationFailed(validator:message:)``.
    case failed(String)
}
