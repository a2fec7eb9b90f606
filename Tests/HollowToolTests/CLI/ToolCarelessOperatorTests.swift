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

    @Test func aProducerWithoutALeaseOnAnElectedStoreIsToldToUseOne() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        let schema = try await ToolErrorTests().setUp(tool)
        let source = try tool.write("movies.jsonl", ToolErrorTests.good + #"{"id": 3, "title": "Three"}"# + "\n")
        let elected = try await tool.run(["produce", "--schema", schema, "--source", source, "--store", tool.store, "--lease", "1s"])
        #expect(elected.status == 0, "\(elected)")
        _ = try tool.write("movies.jsonl", ToolErrorTests.good + #"{"id": 4, "title": "Four"}"# + "\n")
        let result = try await tool.run(["produce", "--schema", schema, "--source", source, "--store", tool.store])
        #expect(result.status == 69 && result.errors.contains("the store's producers are elected")
                && result.errors.contains("hollow: next: run it with --lease"), "\(result)")
    }

    @Test func aDeletedLogIsNotANewDataset() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        let schema = try await ToolErrorTests().setUp(tool)
        let source = try tool.write("movies.jsonl", ToolErrorTests.good + #"{"id": 3, "title": "Three"}"# + "\n")
        let second = try await tool.run(["produce", "--schema", schema, "--source", source, "--store", tool.store])
        #expect(second.status == 0, "\(second)")
        try FileManager.default.removeItem(atPath: tool.store + "/announcements.jsonl")
        var result = try await tool.run(["produce", "--schema", schema, "--source", source, "--store", tool.store])
        #expect(result.status == 65 && result.errors.contains("the announcement log is empty but the blob store holds")
                && result.errors.contains("--new-dataset"), "\(result)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tool.store + "/blobs").contains { $0.hasPrefix("snapshot-") })
        result = try await tool.run(["produce", "--schema", schema, "--source", source, "--store", tool.store, "--new-dataset"])
        // A new dataset, numbered on from the old blobs: no version number is given twice.
        #expect(result.status == 0 && result.output.contains("version 3 announced"), "\(result)")
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

    @Test func aDamagedLogLineIsRepairedKeepingEveryGoodLine() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        let schema = try await ToolErrorTests().setUp(tool)
        let source = try tool.write("movies.jsonl", ToolErrorTests.good + #"{"id": 3, "title": "Three"}"# + "\n")
        var result = try await tool.run(["produce", "--schema", schema, "--source", source, "--store", tool.store])
        #expect(result.status == 0, "\(result)")
        let logPath = tool.store + "/announcements.jsonl"
        var lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[0] = "{oops"
        try (lines.joined(separator: "\n") + "\n").write(toFile: logPath, atomically: false, encoding: .utf8)

        result = try await tool.run(["history", "--store", tool.store])
        #expect(result.status == 65 && result.errors.contains("announcements.jsonl:1: not a JSON object; ")
                && result.errors.contains("hollow repair-log --store"), "\(result)")
        result = try await tool.run(["repair-log", "--store", tool.store])
        #expect(result.status == 0 && result.output.contains("line 1 set aside: not a JSON object")
                && result.output.contains("kept 1 lines"), "\(result)")
        result = try await tool.run(["history", "--store", tool.store, "--json"])
        #expect(result.status == 0, "\(result)")
        #expect((try jsonObject(result.output)["latestVersion"]) as? Int == 2, "\(result)")
        result = try await tool.run(["repair-log", "--store", tool.store])
        #expect(result.status == 0 && result.output.contains("nothing to repair"), "\(result)")
    }
}

/// A version whose blobs the cleaner deleted can no longer be pinned, and history says so.
@Suite struct ToolPinTests {
    @Test func pinRefusesAVersionWhoseBlobsAreGone() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        let schema = try await ToolErrorTests().setUp(tool)
        var movies = ToolErrorTests.good
        for id in 3...5 {
            movies += #"{"id": \#(id), "title": "Movie \#(id)"}"# + "\n"
            let source = try tool.write("movies.jsonl", movies)
            let result = try await tool.run(["produce", "--schema", schema, "--source", source, "--store", tool.store,
                                             "--snapshot-every", "1", "--keep-snapshots", "1"])
            #expect(result.status == 0, "\(result)")
        }
        var result = try await tool.run(["pin", "--store", tool.store, "1"])
        #expect(result.status == 66 && result.errors.contains("version 1 cannot be loaded any more: its blobs are gone")
                && result.errors.contains("the oldest that can is "), "\(result)")
        result = try await tool.run(["history", "--store", tool.store])
        #expect(result.output.split(separator: "\n").first?.contains("(blobs gone: cannot be loaded)") == true, "\(result)")
        #expect(result.output.split(separator: "\n").last?.contains("blobs gone") == false, "\(result)")
        result = try await tool.run(["history", "--store", tool.store, "--json"])
        let entries = try #require(try jsonObject(result.output)["announcements"] as? [[String: Any]])
        #expect(entries.first?["loadable"] as? Bool == false && entries.last?["loadable"] as? Bool == true, "\(result)")
        result = try await tool.run(["pin", "--store", tool.store, "4"])
        #expect(result.status == 0, "\(result)")
    }
}
