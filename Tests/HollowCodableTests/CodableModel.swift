import Foundation

@testable import HollowCodable
import HollowCore

// The model types the Codable tests map: a catalog (Movie, Person) and a type with every supported
// kind of property (Everything).

enum Genre: String, Codable, CaseIterable, Hashable, Sendable {
    case drama, comedy, scifi, documentary
}

struct Person: Codable, Hashable, Sendable, HollowPrimaryKeyed {
    static let hollowPrimaryKey = ["name"]
    var name: String
    var born: Int?
}

struct Movie: Codable, Hashable, Sendable, HollowPrimaryKeyed {
    static let hollowPrimaryKey = ["id"]
    var id: UUID
    var title: String
    var year: Int
    var rating: Double?
    var genres: Set<Genre>
    var cast: [Person]
    var director: Person?
    var ratings: [String: Double]
    var poster: Data?
    var released: Date
}

enum Level: Int, Codable, CaseIterable, Hashable, Sendable {
    case low = 1, middle = 3, high = 5
}

/// A raw-value enum that is not CaseIterable: usable where it is optional.
enum Mood: String, Codable, Hashable, Sendable {
    case happy, sad
}

/// A type that encodes a single value: stored as that value.
struct Meters: Codable, Hashable, Sendable {
    var value: Double
    init(_ value: Double) { self.value = value }
    init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(Double.self) }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

struct Box<T: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    var item: T
}

/// Every scalar and shape the mapping knows.
struct Everything: Codable, Equatable, Sendable {
    var int: Int
    var int8: Int8
    var int16: Int16
    var int32: Int32
    var int64: Int64
    var uint: UInt
    var uint8: UInt8
    var uint16: UInt16
    var uint32: UInt32
    var uint64: UInt64
    var float: Float
    var double: Double
    var bool: Bool
    var string: String
    var data: Data
    var date: Date
    var uuid: UUID
    var url: URL
    var level: Level
    var mood: Mood?
    var distance: Meters
    var distances: [Meters]
    var maybeNumbers: [Int?]
    var nested: [[String]]
    var table: [String: [Int]]?
    var levels: Set<Level>
    var moods: [Mood]
    var box: Box<Int>
    var optionalBox: Box<String>?
    var uuids: Set<UUID>
    var dates: [Date: URL]
    var maybeLists: [[Int]?]
    var roles: [String: Person?]
}
