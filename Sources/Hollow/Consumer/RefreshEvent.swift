/// What refresh listeners are told.
public enum RefreshEvent: Sendable {
    /// A new version is served.
    case refreshed(RefreshReport)
    /// A refresh failed; the consumer still serves `servingVersion` (nil: nothing yet).
    case failed(RefreshError, servingVersion: UInt64?)
}
