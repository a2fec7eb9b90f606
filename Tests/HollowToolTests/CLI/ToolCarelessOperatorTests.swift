import Foundation
import Testing

/// What a careless operator can do to a store, refused with the option that does it on purpose.
@Suite struct ToolCarelessOperatorTests {
    @Test func anEmptySourceDoesNotEmptyTheDataset() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        let schema = try await ToolErrorTests().setUp(tool)
        try await ToolErrorTests().expectRefused(tool, schema: schema, movies: "", status: 65,
                                                 message: "Movie had 2 records in version 1 and would have none")
        let result = try await tool.run(["produce", "--schema", schema, "--source", tool.directory + "/movies.jsonl",
                                         "--store", tool.store, "--allow-empty", "Movie"])
        #expect(result.status == 0 && result.output.contains("version 2 announced"), "\(result)")
        let unknown = try await tool.run(["produce", "--schema", schema, "--source", tool.directory + "/movies.jsonl",
                                          "--store", tool.store, "--allow-empty", "Film"])
        #expect(unknown.status == 64 && unknown.errors.contains("--allow-empty Film: the schema has no type 'Film'"), "\(unknown)")
    }

    @Test func aDeletedLogIsNotANewDataset() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        let schema = try await ToolErrorTests().setUp(tool)
        let source = tool.directory + "/movies.jsonl"
        try FileManager.default.removeItem(atPath: tool.store + "/announcements.jsonl")
        var result = try await tool.run(["produce", "--schema", schema, "--source", source, "--store", tool.store])
        #expect(result.status == 65 && result.errors.contains("the announcement log is empty but the blob store holds")
                && result.errors.contains("--new-dataset"), "\(result)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tool.store + "/blobs").contains { $0.hasPrefix("snapshot-") })
        result = try await tool.run(["produce", "--schema", schema, "--source", source, "--store", tool.store, "--new-dataset"])
        #expect(result.status == 0 && result.output.contains("version 1 announced"), "\(result)")
    }

    @Test func aSecondProducerWithoutALeaseStopsTheFirst() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        let schema = try await ToolErrorTests().setUp(tool)
        let source = tool.directory + "/movies.jsonl"
        let scheduled = try tool.start(["produce", "--schema", schema, "--source", source, "--store", tool.store, "--every", "200ms"])
        try await waitFor { scheduled.output.contains("no change") }
        // Another producer, another dataset, same store.
        let other = try tool.write("other.jsonl", #"{"id": 9, "title": "Nine"}"# + "\n")
        let second = try await tool.run(["produce", "--schema", schema, "--source", "Movie=\(other)", "--store", tool.store])
        #expect(second.status == 0, "\(second)")
        try await waitFor { !scheduled.process.isRunning }
        let result = scheduled.finish()
        #expect(result.status == 69 && result.errors.contains("another producer writes to this store")
                && result.errors.contains("--lease"), "\(result)")
        let history = try await tool.run(["history", "--store", tool.store, "--json"])
        #expect((try jsonObject(history.output)["latestVersion"]) as? Int == 2, "the datasets did not take turns: \(history)")
    }
}
