// `hollow produce` on a large JSON Lines file: a whole producer cycle on the embedded default
// (RecordImporter into the write state, snapshot, LZ4, SHA-256, store with fsyncs, read back,
// announce), against what a user would do without Hollow: decode the same lines with JSONDecoder
// into a Dictionary of structs. HOLLOW_IMPORT_LINES sets the size (default 1,000,000 lines of
// about 230 bytes). Run from Benchmarks/:
//
//     swift package benchmark --no-progress --target HollowImportBenchmarks
import Benchmark
import Foundation
import Hollow
import HollowCore
import HollowImport
import Logging

let quiet = Logger(label: "benchmark", factory: { _ in SwiftLogNoOpLogHandler() })

let schema = try! Schema(parsing: """
    type Country { code: string }
    type Person key(name) { name: string  born: int?  country: Country? }
    type Genre { name: string }
    set Genres of Genre
    list Cast of Person
    type Source { name: string }
    type Score { stars: double }
    map Ratings of Source to Score
    type Movie key(id) { id: long  title: string  year: int  runtime: int?  director: Person?  cast: Cast  genres: Genres  ratings: Ratings }
    """)

/// The lines: a million movies over 200,000 people, deterministic.
enum MovieLines {
    static let count = ProcessInfo.processInfo.environment["HOLLOW_IMPORT_LINES"].flatMap(Int.init) ?? 1_000_000

    static let bytes: [UInt8] = {
        let genres = ["drama", "comedy", "action", "crime", "romance", "thriller", "horror", "fantasy", "history", "mystery"]
        let countries = ["US", "FR", "JP", "IT", "KR", "IN", "SE", "GB", "DE", "NL"]
        func person(_ index: Int) -> String {
            #"{"name":"Person \#(index)","born":\#(1900 + index % 100),"country":"\#(countries[index % 10])"}"#
        }
        var text = ""
        text.reserveCapacity(count * 240)
        for index in 0..<count {
            let genreA = genres[index % 10], genreB = genres[(index / 10 + 3) % 10]
            text += #"{"id":\#(index),"title":"Movie number \#(index) of the catalog","year":\#(1920 + index % 100),"#
            text += #""runtime":\#(80 + index % 90),"director":\#(person(index * 7 % 200_000)),"cast":[\#(person(index * 13 % 200_000))],"#
            text += #""genres":["\#(genreA)","\#(genreB)"],"ratings":{"imdb":\#(Double(50 + index % 50) / 10)}}"#
            text += "\n"
        }
        return Array(text.utf8)
    }()
}

/// The baseline's types.
struct PersonValue: Codable, Hashable { var name: String; var born: Int?; var country: String? }
struct MovieValue: Codable {
    var id: Int64; var title: String; var year: Int; var runtime: Int?
    var director: PersonValue?; var cast: [PersonValue]; var genres: Set<String>; var ratings: [String: Double]
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
                                           timeUnits: .milliseconds, maxDuration: .seconds(60), maxIterations: 3)

    Benchmark("hollow produce: \(MovieLines.count) JSON Lines, one cycle on files") { benchmark in
        let bytes = MovieLines.bytes
        let directory = NSTemporaryDirectory() + "swift-hollow-import-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let producer = Producer(schema: schema, blobStore: try FileSystemBlobStore(directory: directory + "/blobs"),
                                announcementLog: try FileSystemAnnouncementLog(file: directory + "/announcements.jsonl"),
                                configuration: .init(producerID: "benchmark"), logger: quiet)
        benchmark.startMeasurement()
        var importer = RecordImporter(schema: schema)
        let outcome = try await producer.runCycle { state in
            try bytes.withUnsafeBytes { _ = try importer.importRecords(from: $0, format: .jsonLines, type: "Movie", file: "movies.jsonl", into: state) }
        }
        benchmark.stopMeasurement()
        precondition(outcome.version == 1)
    }

    Benchmark("baseline: JSONDecoder, the same lines into a Dictionary of structs") { benchmark in
        let bytes = MovieLines.bytes
        benchmark.startMeasurement()
        let decoder = JSONDecoder()
        var movies: [Int64: MovieValue] = [:]
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let movie = try decoder.decode(MovieValue.self, from: Data(bytes[start..<end]))
            movies[movie.id] = movie
            start = end + 1
        }
        benchmark.stopMeasurement()
        blackHole(movies)
    }
}
