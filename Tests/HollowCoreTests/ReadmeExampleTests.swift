import Testing
import TestThreads
import HollowCore

/// The quick start of README.md, as written there, so that the README cannot drift from the API.
@Suite(.onTestThreads) struct ReadmeExampleTests {
    @Test func quickStart() throws {
        let schema = try Schema(parsing: """
            type Person key(name) { name: string  born: int? }
            list Cast of Person
            type Movie key(id) { id: long  title: string  year: int  cast: Cast }
            """)

        // Producer side: a cycle adds every record; identical records share one ordinal.
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        var ann = ObjectRecord(schema.object("Person")!)
        try ann.set("name", .string("Ann"))
        let annOrdinal = try writer.add(ann)
        var movie = ObjectRecord(schema.object("Movie")!)
        try movie.set("id", .long(1))
        try movie.set("title", .string("First"))
        try movie.set("year", .int(1999))
        try movie.set("cast", .reference(try writer.add(list: [annOrdinal], to: "Cast")))
        try writer.add(movie)
        let blobs = try writer.writeBlobs()!      // nil when nothing changed
        writer.commit()                           // after the blobs are stored and announced

        // Consumer side: load, index, read in place.
        let state = try ReadState(snapshot: blobs.snapshot)
        let movies = state.objectType("Movie")!
        let title = movies.field("title")!
        let byID = try PrimaryKeyIndex(state, type: "Movie")
        var read: [UInt8] = []
        if let ordinal = byID.ordinal(Int64(1)) {
            movies.withBytes(ordinal, title) { utf8 in read = Array(utf8) }
        }
        #expect(read == Array("First".utf8))
    }
}
