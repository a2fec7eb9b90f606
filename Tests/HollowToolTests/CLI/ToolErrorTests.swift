import Foundation
import Testing

/// Bad input gets an error a person can act on, the documented exit code, and no announcement.
@Suite struct ToolErrorTests {
    static let schema = """
        type Country { code: string }
        type Movie key(id) { id: long  title: string  year: int?  country: Country? }
        """
    static let good = #"{"id": 1, "title": "One", "year": 2001}"# + "\n" + #"{"id": 2, "title": "Two"}"# + "\n"

    /// A store holding version 1 of the good movies, the schema and `movies` written as given.
    func setUp(_ tool: ToolRunner) async throws -> String {
        try tool.makeStore()
        let schema = try tool.write("movie.schema", Self.schema)
        let source = try tool.write("movies.jsonl", Self.good)
        let result = try await tool.run(["produce", "--schema", schema, "--source", source, "--store", tool.store])
        #expect(result.status == 0, "\(result)")
        return schema
    }

    /// Produces from `movies` and checks the exit code and message, and that version 1 is still the last.
    func expectRefused(_ tool: ToolRunner, schema: String, movies: String, name: String = "movies.jsonl", extra: [String] = [],
                       status: Int32, message: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let source = try tool.write(name, movies)
        let result = try await tool.run(["produce", "--schema", schema, "--source", source, "--store", tool.store] + extra)
        #expect(result.status == status, "\(result)", sourceLocation: sourceLocation)
        #expect(result.errors.contains(message), "\(result)", sourceLocation: sourceLocation)
        // Every refusal says what to do next, on a line of its own.
        #expect(result.errors.contains("\nhollow: next: "), "\(result)", sourceLocation: sourceLocation)
        #expect(result.output.isEmpty, "\(result)", sourceLocation: sourceLocation)
        let history = try await tool.run(["history", "--store", tool.store, "--json"])
        #expect((try jsonObject(history.output)["latestVersion"]) as? Int == 1, "something was announced", sourceLocation: sourceLocation)
    }

    @Test func badSourcesAreRefusedWithTheirPlace() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        let schema = try await setUp(tool)
        let path = tool.directory + "/movies.jsonl"
        try await expectRefused(tool, schema: schema, movies: Self.good + #"{"id": 3, "title": "Three""#, status: 65,
                                message: "hollow: error: \(path):3:27: expected ',' or '}' after a value, found the end of the file")
        try await expectRefused(tool, schema: schema, movies: Self.good + #"{"id": 3, "title": "Three", "rating": 5}"#, status: 65,
                                message: "\(path):3:29: Movie has no field 'rating'")
        try await expectRefused(tool, schema: schema, movies: #"{"id": 3, "title": "Three", "year": "1999"}"#, status: 65,
                                message: "\(path):1:37: Movie.year is an int, found a string")
        try await expectRefused(tool, schema: schema, movies: #"{"title": "Three"}"#, status: 65,
                                message: "\(path):1:1: Movie record without its primary key field 'id'")
        try await expectRefused(tool, schema: schema, movies: Self.good + #"{"id": 2, "title": "Deux"}"#, status: 65,
                                message: "\(path):3: Movie primary key id=2 was already given, differently, at \(path):2")
        let csv = tool.directory + "/movies.csv"
        try await expectRefused(tool, schema: schema, movies: "id,title,year\n1,One,2001\n2,Two,soon\n", name: "movies.csv", status: 65,
                                message: "\(csv):3:7: Movie.year is an int, found 'soon'")
    }

    @Test func badSchemasStoresAndArgumentsAreRefused() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        let schema = try await setUp(tool)
        let source = tool.directory + "/movies.jsonl"
        let badSchema = try tool.write("bad.schema", "type Movie key(id) { id: long  title: strng }")
        var result = try await tool.run(["produce", "--schema", badSchema, "--source", source, "--store", tool.store])
        #expect(result.status == 65 && result.errors.contains("bad.schema: "), "\(result)")
        result = try await tool.run(["produce", "--schema", tool.directory + "/none.schema", "--source", source, "--store", tool.store])
        #expect(result.status == 66 && result.errors.contains("none.schema does not exist"), "\(result)")
        result = try await tool.run(["produce", "--schema", schema, "--source", tool.directory + "/none.jsonl", "--store", tool.store])
        #expect(result.status == 66 && result.errors.contains("none.jsonl does not exist"), "\(result)")
        result = try await tool.run(["produce", "--schema", schema, "--source", source, "--store", tool.directory + "/missing"])
        #expect(result.status == 66 && result.errors.contains("does not exist (create it with `mkdir -p"), "\(result)")
        // A directory that cannot be written, even by root: a process directory of /proc.
        if FileManager.default.fileExists(atPath: "/proc/1") {
            result = try await tool.run(["produce", "--schema", schema, "--source", source, "--store", "/proc/1"])
            #expect(result.status == 73 && result.errors.contains("/proc/1 cannot be written"), "\(result)")
        }
        result = try await tool.run(["produce", "--schema", schema, "--source", source, "--store", tool.store, "--every", "soon"])
        #expect(result.status == 64 && result.errors.contains("--every soon"), "\(result)")
        let films = try tool.write("films.jsonl", Self.good)
        result = try await tool.run(["produce", "--schema", schema, "--source", films, "--store", tool.store])
        #expect(result.status == 64 && result.errors.contains("no object type is named like the file; write TYPE=\(films)"), "\(result)")
        result = try await tool.run(["produce", "--schema", schema, "--source", "Movie=\(schema)", "--store", tool.store])
        #expect(result.status == 64 && result.errors.contains("use --format jsonl, csv or tsv"), "\(result)")
        result = try await tool.run(["produce", "--schema", schema, "--source", "Nope=\(source)", "--store", tool.store])
        #expect(result.status == 64 && result.errors.contains("the schema has no object type 'Nope'"), "\(result)")
        result = try await tool.run(["get", "--store", tool.directory, "Movie", "1"])
        #expect(result.status == 66 && result.errors.contains("run `hollow produce` first"), "\(result)")
        result = try await tool.run(["get", "--store", tool.store, "Movie", "one"])
        #expect(result.status == 64 && result.errors.contains("'one' is not a value of id, which is long"), "\(result)")
        result = try await tool.run(["get", "--store", tool.store, "Movie"])
        #expect(result.status == 64, "\(result)")
        result = try await tool.run(["get", "--store", tool.store, "--version", "7", "Movie", "1"])
        #expect(result.status == 66 && result.errors.contains("version 7"), "\(result)")
        result = try await tool.run(["query", "--store", tool.store, "Movie", "rating=5"])
        #expect(result.status == 64 && result.errors.contains("rating"), "\(result)")
    }

    /// A TSV whose header names differ from the schema's, as real files' do (PyPI's list):
    /// `--column TYPE.FIELD=NAME` reads them; bad `--column`s are refused up front.
    @Test func columnsAreReadUnderTheirOwnNames() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        let schema = try await setUp(tool)
        for (column, message) in [("Movie.title", "write TYPE.FIELD=NAME"), ("Movie.nope=x", "Movie has no field 'nope'"),
                                  ("Film.title=x", "the schema has no object type 'Film'"),
                                  ("Movie.title=year", "Movie: 'year' would name both title and year")] {
            try await expectRefused(tool, schema: schema, movies: "id\ttitle\n9\tNine\n", name: "movies.tsv",
                                    extra: ["--column", column], status: 64, message: message)
        }
        let tsv = try tool.write("movies.tsv", "id\tmovie title\trelease_year\n1\tOne\t2001\n2\tTwo\t\n3\tThree\t1999\n")
        let produced = try await tool.run(["produce", "--schema", schema, "--source", tsv, "--store", tool.store,
                                           "--column", "Movie.title=movie title", "--column", "Movie.year=release_year"])
        #expect(produced.status == 0 && produced.output.contains("Movie: 3 records, +1 -0"), "\(produced)")
        let three = try await tool.run(["get", "--store", tool.store, "Movie", "3"])
        #expect(try jsonObject(three.output)["year"] as? Int == 1999, "\(three)")
    }

    @Test func aFailedValidatorAnnouncesNothing() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        let schema = try await setUp(tool)
        try await expectRefused(tool, schema: schema, movies: #"{"id": 1, "title": "One", "year": 2001}"#,
                                extra: ["--max-change", "Movie=10"], status: 65, message: "validator 'record count change of Movie' failed")
        try await expectRefused(tool, schema: schema, movies: Self.good + #"{"id": 3, "title": "Three"}"#, extra: ["--min-records", "Movie=4"], status: 65,
                                message: "validator 'minimum record count of Movie' failed")
    }

    @Test func aScheduledProducerStopsAfterTheCycleOnSIGTERM() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        let schema = try await setUp(tool)
        let source = tool.directory + "/movies.jsonl"
        let producer = try tool.start(["produce", "--schema", schema, "--source", source, "--store", tool.store, "--every", "200ms"])
        try await waitFor { producer.output.contains("no change") }
        // Each cycle reads the sources again.
        try Data((Self.good + #"{"id": 3, "title": "Three"}"# + "\n").utf8).write(to: URL(fileURLWithPath: source))
        try await waitFor { producer.output.contains("version 2 announced") }
        producer.process.terminate()
        try await waitFor { !producer.process.isRunning }
        let result = producer.finish()
        #expect(result.status == 0, "\(result)")
        #expect(result.errors.contains("stopping after the work in progress"), "\(result)")
    }
}
