import HollowCore

public enum ValidationResult: Sendable, Equatable {
    case passed
    case failed(String)
}
