import Foundation
import HollowCore
@testable import Hollow
import HollowTesting
import Logging
import PropertyBased

/// Tests log nothing: failures they provoke on purpose would flood the output.
let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A small dataset for producer and consumer tests: movies by id, each with a title, a year and
/// a stamp (the cycle that last wrote it), and a list of tags.
enum TestCatalog {
    static let schema = try! Schema(parsing: """
        type Tag { name: string }
        list Tags of Tag
        type Movie key(id) {
            id: long
            title: string
            year: int
            stamp: int
            tags: Tags
        }
        """)

    struct Movie: Hashable, Sendable {
        var id: Int64
        var title: String
        var year: Int32
        var stamp: Int32
        var tags: [String] = []
    }

    /// `count` movies, all stamped `stamp`.
    static func movies(_ count: Int, stamp: Int32 = 0) -> [Int64: Movie] {
        var movies: [Int64: Movie] = [:]
        for id in 0..<Int64(count) {
            movies[id] = Movie(id: id, title: "Movie \(id)", year: 1950 + Int32(id % 70), stamp: stamp, tags: ["t\(id % 7)"])
        }
        return movies
    }

    /// Changes about `percent`% of the movies (a third replaced, a third removed, a third new).
    static func change(_ movies: inout [Int64: Movie], percent: Double, stamp: Int32, using generator: inout some RandomNumberGenerator) {
        let count = max(1, Int(Double(movies.count) * percent / 100))
        let nextID = (movies.keys.max() ?? -1) + 1
        for step in 0..<count {
            switch step % 3 {
            case 0:
                if let id = movies.keys.randomElement(using: &generator) {
                    movies[id]!.title = "Movie \(id) v\(stamp)"
                    movies[id]!.stamp = stamp
                }
            case 1:
                if let id = movies.keys.randomElement(using: &generator) { movies[id] = nil }
            default:
                let id = nextID + Int64(step)
                movies[id] = Movie(id: id, title: "Movie \(id)", year: 2000, stamp: stamp, tags: ["new", "t\(id % 7)"])
            }
        }
    }

    static func record(_ movie: Movie, in state: WriteState) throws -> ObjectRecord {
        let tags = try movie.tags.map { name in
            var tag = ObjectRecord(schema.object("Tag")!)
            try tag.set("name", .string(name))
            return try state.add(tag)
        }
        var record = ObjectRecord(schema.object("Movie")!)
        try record.set("id", .long(movie.id))
        try record.set("title", .string(movie.title))
        try record.set("year", .int(movie.year))
        try record.set("stamp", .int(movie.stamp))
        try record.set("tags", .reference(try state.add(list: tags, to: "Tags")))
        return record
    }

    static func populate(_ state: WriteState, _ movies: [Int64: Movie]) throws {
        for movie in movies.values { try state.add(record(movie, in: state)) }
    }

    /// Every movie of a read state, read back.
    static func movies(in state: ReadState) -> [Int64: Movie] {
        guard let reader = state.objectType("Movie") else { return [:] }
        let id = reader.field("id")!, title = reader.field("title")!, year = reader.field("year")!
        let stamp = reader.field("stamp")!, tagsField = reader.field("tags")!
        let lists = state.listType("Tags")!
        let tags = state.objectType("Tag")!
        let name = tags.field("name")!
        var movies: [Int64: Movie] = [:]
        for ordinal in reader.ordinals {
            let list = reader.reference(ordinal, tagsField)!
            let names = lists.elements(list).map { tags.string($0, name)! }
            let movie = Movie(id: reader.long(ordinal, id)!, title: reader.string(ordinal, title)!,
                              year: reader.int(ordinal, year)!, stamp: reader.int(ordinal, stamp)!, tags: names)
            movies[movie.id] = movie
        }
        return movies
    }
}

/// A producer and consumer over one in-memory store and log.
struct Rig {
    let store = InMemoryBlobStore()
    let log = InMemoryAnnouncementLog()

    func producer(_ configuration: Producer.Configuration = .init(producerID: "test")) -> Producer {
        Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log, configuration: configuration, logger: quiet)
    }

    func consumer(_ configuration: Consumer.Configuration = .init(indexes: [.primaryKey("Movie")])) -> Consumer {
        Consumer(blobStore: store, announcementLog: log, configuration: configuration, logger: quiet)
    }
}

extension Producer {
    /// Runs a full cycle of `movies`; returns the announced (or unchanged) version.
    @discardableResult
    func cycle(_ movies: [Int64: TestCatalog.Movie]) async throws -> UInt64? {
        try await runCycle { state in try TestCatalog.populate(state, movies) }.version
    }
}

extension Xoshiro {
    /// A generator for deterministic test data, from one number.
    init(seed: UInt64) {
        self.init(seed: (seed, seed ^ 0x9E37_79B9_7F4A_7C15, ~seed, 0xBF58_476D_1CE4_E5B9))
    }
}
