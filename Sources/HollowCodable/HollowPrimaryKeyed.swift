import HollowCore

/// A `Codable` type that declares its primary key next to itself. `Schema(deriving:)` puts the key
/// on the type's object type, so that the write state refuses two records with one key and
/// `HollowPrimaryKeyIndex` finds a value by it.
///
///     struct Movie: Codable, HollowPrimaryKeyed {
///         static let hollowPrimaryKey = ["id"]
///         var id: Int
///         var title: String
///         var director: Person?
///     }
///
/// Each entry is a field name as the type encodes it (its `CodingKey` string), or a dotted path
/// through nested values (`"director.name"`).
public protocol HollowPrimaryKeyed {
    static var hollowPrimaryKey: [String] { get }
}
