import HollowCore

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
