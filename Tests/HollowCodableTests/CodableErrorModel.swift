import Foundation

@testable import HollowCodable
import HollowCore

// Types for the error tests: each is wrong for the mapping in one way.

struct Named: Codable, HollowTypeNamed {
    static let hollowTypeName = "Renamed"
    var x: Int
}

struct TreeNode: Codable {
    var name: String
    var children: [TreeNode]
}

final class Chain: Codable {
    var value: Int = 0
    var next: Chain?
}

enum Shape: Codable {
    case circle(radius: Double)
    case square(side: Double)
}

struct HasShape: Codable {
    var shape: Shape
}

struct DoubleOptional: Codable {
    var value: Int??
}

/// Encodes itself as an array.
struct Pair: Codable {
    var a: Int
    var b: Int
    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        a = try container.decode(Int.self)
        b = try container.decode(Int.self)
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(a)
        try container.encode(b)
    }
}

/// Decodes a nested keyed container.
struct Wrapped: Codable {
    var value: Int
    enum Keys: String, CodingKey { case inner, value }
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        value = try container.nestedContainer(keyedBy: Keys.self, forKey: .inner).decode(Int.self, forKey: .value)
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        var inner = container.nestedContainer(keyedBy: Keys.self, forKey: .inner)
        try inner.encode(value, forKey: .value)
    }
}

struct Feeling: Codable {
    var mood: Mood
}

struct MaybeFeeling: Codable {
    var mood: Mood?
}

enum ScopeA { struct Item: Codable { var x: Int } }
enum ScopeB { struct Item: Codable { var y: String } }

struct Collision: Codable {
    var a: ScopeA.Item
    var b: ScopeB.Item
}

struct BadKey: Codable, HollowPrimaryKeyed {
    static let hollowPrimaryKey = ["nope"]
    var id: Int
}

/// Refuses the placeholder values of schema discovery.
struct Picky: Codable {
    var name: String
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        if name.isEmpty { throw DecodingError.dataCorruptedError(forKey: .name, in: container, debugDescription: "empty name") }
    }
}

struct Nicknamed: Codable {
    var name: String
    var born: Int?
    var nickname: String
}

struct WrongTitle: Codable { var title: Int }
struct WithBudget: Codable { var title: String; var budget: Int }
struct WithOptionalBudget: Codable { var title: String; var budget: Int? }
struct TinyYear: Codable { var year: Int8 }
struct MoodTitle: Codable { var title: Mood }
struct UUIDPoster: Codable { var poster: UUID }
struct RequiredRating: Codable { var rating: Double }
