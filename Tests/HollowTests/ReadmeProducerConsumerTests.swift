import Foundation
import Testing
import Hollow
import HollowCore

/// The README's producer and consumer example, as written there (paths moved to a temporary
/// directory, and its `print` replaced by checks).
@Suite struct ReadmeProducerConsumerTests {
    @Test func theReadmeExampleRuns() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let schema = try Schema(parsing: """
            type Person key(name) { name: string  born: int? }
            list Cast of Person
            type Movie key(id) { id: long  title: string  year: int  cast: Cast }
            """)

        let store = try FileSystemBlobStore(directory: directory.path + "/catalog/blobs")
        let log = try FileSystemAnnouncementLog(file: directory.path + "/catalog/announcements.jsonl")

        let producer = Producer(schema: schema, blobStore: store, announcementLog: log,
                                configuration: .init(validators: [MinimumRecordCountValidator(type: "Movie", minimum: 1)]),
                                logger: quiet)
        let outcome = try await producer.runCycle { state in
            var movie = ObjectRecord(schema.object("Movie")!)
            try movie.set("id", .long(1))
            try movie.set("title", .string("First"))
            try movie.set("year", .int(1999))
            try movie.set("cast", .reference(try state.add(list: [], to: "Cast")))
            try state.add(movie)
        }
        #expect(outcome.version == 1)

        let consumer = Consumer(blobStore: store, announcementLog: log,
                                configuration: .init(indexes: [.primaryKey("Movie")]), logger: quiet)
        try await consumer.refresh()
        var title: String?
        if let current = consumer.current,
           let ordinal = current.primaryKeyIndex("Movie")?.ordinal(Int64(1)) {
            let movies = current.readState.objectType("Movie")!
            title = movies.string(ordinal, movies.field("title")!)!
            #expect(current.version == 1)
        }
        #expect(title == "First")
    }
}
