import Foundation
import Testing
import Hollow
import HollowCodable
import HollowCore

/// The README's quick start, as written there (paths moved to a temporary directory, the loose
/// values turned into checks).
@Suite struct ReadmeProducerConsumerTests {
    struct Movie: Codable, HollowPrimaryKeyed, Equatable {
        static let hollowPrimaryKey = ["id"]
        var id: Int
        var title: String
        var year: Int
        var genres: Set<String>
    }

    struct MissingHandles: Error {}

    final class Titles: Sendable {
        let index: PrimaryKeyIndex, movies: ObjectTypeReadState, title: FieldHandle
        init(_ state: ConsumerState) throws {
            guard let index = state.primaryKeyIndex("Movie"), let movies = state.readState.objectType("Movie"),
                  let title = movies.field("title") else { throw MissingHandles() }
            (self.index, self.movies, self.title) = (index, movies, title)
        }
        func title(of id: Int) -> String? { index.ordinal(id).flatMap { movies.string($0, title) } }
    }

    @Test func theQuickStartRuns() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let movies = [Movie(id: 42, title: "Ikiru", year: 1952, genres: ["drama"]),
                      Movie(id: 7, title: "The Apartment", year: 1960, genres: ["comedy", "drama"])]

        let schema = try Schema(deriving: Movie.self)
        let store = try FileSystemBlobStore(directory: directory.path + "/catalog/blobs")
        let log = try FileSystemAnnouncementLog(file: directory.path + "/catalog/announcements.jsonl")

        let producer = Producer(schema: schema, blobStore: store, announcementLog: log,
                                configuration: .init(validators: [MinimumRecordCountValidator(type: "Movie", minimum: 1)]),
                                logger: quiet)
        let outcome = try await producer.runCycle { state in
            for movie in movies { try state.add(movie) }
        }
        #expect(outcome.version == 1)

        let consumer = Consumer(blobStore: store, announcementLog: log,
                                configuration: .init(indexes: [.primaryKey("Movie")]), logger: quiet)
        try await consumer.refresh()
        var found: (Movie, String)?
        if let current = consumer.current,
           let ordinal = current.primaryKeyIndex("Movie")?.ordinal(42) {
            let movie = try current.readState.value(Movie.self, ordinal: ordinal)
            let titles = current.readState.objectType("Movie")!
            let title = titles.string(ordinal, titles.field("title")!)
            found = (movie, title!)
        }
        #expect(found?.0 == movies[0])
        #expect(found?.1 == "Ikiru")

        // On a hot path: what requests read, resolved once per version and lent with no reference counted.
        let titles = try consumer.view { state in try Titles(state) }
        let title = titles.withCurrent { titles in titles?.title(of: 42) }
        #expect(title == "Ikiru")
    }
}
