import CatalogFixture
import Foundation
import Hollow
import HollowCore

/// `verify`: after the soak, a fresh consumer loads the last announced version and compares it,
/// movie by movie, with the producer's dataset of that cycle (regenerated from the same
/// parameters). A process of its own, so that regenerating the dataset weighs on neither sampled
/// process.
struct VerifyMode {
    let storeDirectory: String
    let dataset: SoakDataset

    init(_ arguments: SoakArguments) throws {
        storeDirectory = try arguments.string("store")
        dataset = SoakDataset(records: try arguments.integer("records", default: 3_000),
                              changePercent: try arguments.double("change-percent", default: 1),
                              seed: try arguments.unsigned("seed", default: SoakDataset.defaultSeed))
    }

    struct Summary: Encodable {
        var mode = "verify"
        var version: UInt64 = 0
        var path = ""
        /// "equal", or what differs.
        var lastStateAgainstProducerDataset = ""
        var isEqual: Bool { lastStateAgainstProducerDataset == "equal" }
    }

    func run() async throws -> Summary {
        let store = try FileSystemBlobStore(directory: storeDirectory + "/blobs", create: false)
        let log = try FileSystemAnnouncementLog(file: storeDirectory + "/announcements.jsonl")
        let consumer = Consumer(blobStore: store, announcementLog: log, configuration: .init(name: "soak-verify"))
        let report = try await consumer.refresh()
        var summary = Summary(version: report.toVersion, path: report.path)
        // Version k is the dataset of cycle k: the producer started on an empty store and every cycle changed something.
        summary.lastStateAgainstProducerDataset = Self.compare(consumer.current!.readState,
                                                               with: dataset.catalog(atCycle: Int(report.toVersion)))
        return summary
    }

    /// Every movie of `state` against the producer's catalog of that cycle: ids, titles, years,
    /// ratings, cast and director names.
    static func compare(_ state: ReadState, with catalog: Catalog) -> String {
        guard let movies = state.objectType("Movie"), let people = state.objectType("Person"),
              let casts = state.listType("CastList") else { return "the state has no Movie, Person or CastList type" }
        let id = movies.field("id")!, title = movies.field("title")!, year = movies.field("year")!
        let rating = movies.field("rating")!, cast = movies.field("cast")!, director = movies.field("director")!
        let name = people.field("name")!
        var expected: [Int64: Catalog.Movie] = [:]
        for movie in catalog.movies { expected[movie.id] = movie }
        guard movies.recordCount == expected.count else { return "\(movies.recordCount) movies, the producer had \(expected.count)" }
        for ordinal in movies.ordinals {
            guard let movieID = movies.long(ordinal, id), let movie = expected[movieID] else { return "movie at ordinal \(ordinal) is not the producer's" }
            let castNames = casts.elements(movies.reference(ordinal, cast)!).map { people.string($0, name)! }
            let directorName = movies.reference(ordinal, director).map { people.string($0, name)! }
            guard movies.string(ordinal, title) == movie.title, movies.int(ordinal, year) == movie.year,
                  movies.double(ordinal, rating) == movie.rating,
                  castNames == movie.cast.map({ catalog.people[$0].name }),
                  directorName == movie.director.map({ catalog.people[$0].name }) else {
                return "movie \(movieID) differs from the producer's"
            }
        }
        return "equal"
    }
}
