import HollowCore

/// A check of a new state before it is announced. Validators run after the cycle's blobs are
/// stored and before the announcement; one that fails stops the announcement, and the producer
/// goes back to the last announced state.
public protocol Validator: Sendable {
    /// Names the validator in errors and logs.
    var name: String { get }
    func validate(_ context: ValidationContext) -> ValidationResult
}
