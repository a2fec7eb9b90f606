/// What one cycle changed in one type: records added and removed since the origin state, and
/// records in the new state.
public struct TypeChangeSummary: Sendable, Equatable {
    public let added: Int
    public let removed: Int
    public let recordCount: Int
}
