/// Ordinals removed from and added to a type by one delta, both ascending.
public struct TypeChanges: Sendable, Equatable {
    public let removed: [Int]
    public let added: [Int]
}
