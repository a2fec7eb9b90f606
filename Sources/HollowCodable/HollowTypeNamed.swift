import HollowCore

/// A `Codable` type that chooses the name of its type in the schema. Without it, the name is the
/// Swift type's name (`String(describing:)`, generic arguments spelled out: `Box<Int>` is
/// `BoxOfInt`). Adopt it when two Swift types of one name (in different modules or scopes) would
/// otherwise collide, or to keep a schema name when a Swift type is renamed.
public protocol HollowTypeNamed {
    static var hollowTypeName: String { get }
}
