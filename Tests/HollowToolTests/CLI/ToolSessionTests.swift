import Foundation
import Testing

/// A whole session with the built tool over the fixtures: produce three versions, read them, diff
/// them, pin back, unpin, and watch a refresh.
@Suite(.serialized) struct ToolSessionTests {
    @Test func aSessionOverTheFixtures() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        try tool.makeStore()

        var result = try await tool.produceFixture(1)
        #expect(result.status == 0, "\(result)")
        #expect(result.lines.first?.hasPrefix("version 1 announced (snapshot)") == true, "\(result)")
        #expect(result.output.contains("Movie: 13 records, +13 -0"), "\(result)")
        #expect(result.errors.contains("fixtures/catalog/v1/movies.jsonl: 13 Movie records"), "\(result)")
        result = try await tool.produceFixture(2)
        #expect(result.lines.first?.hasPrefix("version 2 announced (delta from 1)") == true, "\(result)")
        #expect(result.lines.last?.hasPrefix("  stages: preparing ") == true && result.output.contains(" ms, importing "), "\(result)")
        result = try await tool.produceFixture(3, ["--json"])
        #expect(result.status == 0, "\(result)")
        let third = try jsonObject(result.output)
        #expect(third["version"] as? Int == 3 && third["previousVersion"] as? Int == 2)
        // Where the cycle's time went, stage by stage.
        let stages = try #require(third["stagesMilliseconds"] as? [String: Double], "\(third)")
        #expect(Set(stages.keys) == ["preparing", "reading", "importing", "writing-blobs", "storing-blobs", "reading-back", "announcing", "cleaning"])
        #expect(stages.values.allSatisfy { $0 >= 0 })
        // The same sources again change nothing.
        result = try await tool.produceFixture(3)
        #expect(result.output == "no change: consumers stay on version 3\n", "\(result)")

        // get: by primary key, now and in an older version.
        result = try await tool.run(["get", "--store", tool.store, "Movie", "14"])
        #expect(result.status == 0, "\(result)")
        let movie = try jsonObject(result.output)
        #expect(movie["title"] as? String == "Portrait of a Lady on Fire")
        #expect(movie["language"] as? String == "fr")
        #expect((movie["director"] as? [String: Any])?["name"] as? String == "Celine Sciamma")
        #expect(movie["genres"] as? [String] == ["drama", "history", "romance"])
        #expect((movie["ratings"] as? [String: Double]) == ["imdb": 8.1, "critics": 9.3])
        result = try await tool.run(["get", "--store", tool.store, "Movie", "13"])
        #expect(result.status == 1 && result.errors.contains("no Movie with id=13 in version 3"), "\(result)")
        result = try await tool.run(["get", "--store", tool.store, "--version", "1", "Movie", "13"])
        #expect(result.status == 0 && result.output.contains("Pierrot le Fou"), "\(result)")
        result = try await tool.run(["get", "--store", tool.store, "Studio", "Barunson E&A"])
        #expect(try jsonObject(result.output)["founded"] is NSNull, "\(result)")
        result = try await tool.run(["get", "--store", tool.store, "Theater", "6"])
        #expect(try jsonObject(result.output)["name"] as? String == "Kino \"Babylon\", Mitte", "\(result)")

        // query: through a hash index, one record a line.
        result = try await tool.run(["query", "--store", tool.store, "Movie", "year=1960"])
        #expect(result.status == 0, "\(result)")
        #expect(try result.lines.map { try jsonObject($0)["id"] as? Int }.sorted { $0! < $1! } == [3, 7])
        result = try await tool.run(["query", "--store", tool.store, "Movie", "director.name=Bong Joon-ho"])
        #expect(try result.lines.compactMap { try jsonObject($0)["title"] as? String }.sorted() == ["Memories of Murder", "Parasite"])
        result = try await tool.run(["query", "--store", tool.store, "Movie", "year=1800"])
        #expect(result.status == 1, "\(result)")

        // diff: by primary key, with the changed fields.
        result = try await tool.run(["diff", "--store", tool.store, "1", "3", "--json"])
        #expect(result.status == 0, "\(result)")
        let diff = try jsonObject(result.output)
        let types = try #require(diff["types"] as? [[String: Any]])
        let movies = try #require(types.first { $0["type"] as? String == "Movie" })
        #expect(movies["added"] as? [[String]] == [["id=14"], ["id=15"], ["id=16"]])
        #expect(movies["removed"] as? [[String]] == [["id=8"], ["id=13"]])
        let changed = try #require(movies["changed"] as? [[String: Any]])
        #expect(changed.first { ($0["key"] as? [String]) == ["id=6"] }?["fields"] as? [String] == ["runtime", "language"])
        result = try await tool.run(["diff", "--store", tool.store, "1", "2"])
        #expect(result.output.contains("  ~ id=6  runtime"), "\(result)")
        #expect(result.output.contains("  ~ id=2  seats"), "\(result)")

        // history, pin, unpin.
        result = try await tool.run(["history", "--store", tool.store, "--json"])
        let history = try jsonObject(result.output)
        #expect((history["announcements"] as? [[String: Any]])?.compactMap { $0["version"] as? Int } == [1, 2, 3])
        result = try await tool.run(["pin", "--store", tool.store, "1"])
        #expect(result.status == 0 && result.output == "pinned to version 1\n", "\(result)")
        result = try await tool.run(["get", "--store", tool.store, "Movie", "13"])
        #expect(result.status == 0 && result.output.contains("Pierrot le Fou"), "pinned consumers serve version 1: \(result)")
        result = try await tool.run(["history", "--store", tool.store])
        #expect(result.output.contains("consumers are pinned to version 1 (latest 3)"), "\(result)")
        result = try await tool.run(["pin", "--store", tool.store, "9"])
        #expect(result.status == 66 && result.errors.contains("version 9 was never announced"), "\(result)")
        result = try await tool.run(["unpin", "--store", tool.store])
        #expect(result.status == 0, "\(result)")
        result = try await tool.run(["get", "--store", tool.store, "Movie", "13"])
        #expect(result.status == 1, "\(result)")

        // inspect: types, counts, memory, blobs.
        result = try await tool.run(["inspect", "--store", tool.store, "--json"])
        let inspected = try jsonObject(result.output)
        #expect(inspected["version"] as? Int == 3)
        let movieType = try #require((inspected["types"] as? [[String: Any]])?.first { $0["name"] as? String == "Movie" })
        #expect(movieType["records"] as? Int == 14)
        #expect(movieType["shards"] as? Int == 1, "14 movies: one shard")
        #expect((movieType["fieldBits"] as? [String: Int])?["language"] != nil)
        #expect(movieType["primaryKeyIndexBytes"] as? Int ?? 0 >= 14 * 4 + 32 * 4, "14 chain entries and 32 slots at least: \(movieType)")
        #expect(((inspected["blobs"] as? [String: Any])?["delta"] as? [String: Any])?["bytes"] as? Int ?? 0 > 0)
        result = try await tool.run(["inspect", "--store", tool.store, "--version", "1"])
        #expect(result.lines.first?.hasPrefix("version 1") == true && result.output.contains("Movie"), "\(result)")
        #expect(result.output.contains("    primary-key index: "), "\(result)")

        // watch: the first load, then the refresh to a new version.
        let watcher = try tool.start(["watch", "--store", tool.store, "--count", "2", "--json"])
        try await waitFor { watcher.output.contains("\"version\":3") }
        let changedMovies = try String(contentsOfFile: "\(ToolRunner.fixtures)/catalog/v3/movies.jsonl", encoding: .utf8)
            .replacingOccurrences(of: "\"Parasite\"", with: "\"Parasite (2019)\"")
        let moviesPath = try tool.write("v4/movies.jsonl", changedMovies)
        result = try await tool.run(["produce", "--schema", "\(ToolRunner.fixtures)/catalog/v3/catalog.schema", "--store", tool.store,
                                     "--source", moviesPath, "\(ToolRunner.fixtures)/catalog/v3/theaters.csv", "\(ToolRunner.fixtures)/catalog/v3/studios.tsv"])
        #expect(result.lines.first?.hasPrefix("version 4 announced (delta from 3)") == true, "\(result)")
        try await waitFor { !watcher.process.isRunning }
        let watched = watcher.finish()
        #expect(watched.status == 0, "\(watched)")
        let refreshes = try watched.lines.map(jsonObject)
        #expect(refreshes.count == 2)
        #expect(refreshes.first?["version"] as? Int == 3 && refreshes.first?["path"] as? String == "snapshot + 2 deltas")
        #expect(refreshes.last?["version"] as? Int == 4 && refreshes.last?["from"] as? Int == 3 && refreshes.last?["path"] as? String == "1 delta")

        // watch --cache: the first keeps an image of version 4; the next serves it at once.
        let cache = tool.store + "-cache"
        result = try await tool.run(["watch", "--store", tool.store, "--count", "1", "--cache", cache])
        #expect(result.status == 0 && FileManager.default.fileExists(atPath: cache + "/state.image"), "\(result)")
        result = try await tool.run(["watch", "--store", tool.store, "--count", "1", "--cache", cache, "--json"])
        let started = try result.lines.map(jsonObject)
        #expect(started.first?["version"] as? Int == 4 && started.first?["source"] as? String == "local image", "\(result)")
    }
}

/// Waits (up to three minutes: the parallel suite can starve a subprocess of the 2 cores) until `condition` holds.
func waitFor(_ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(180)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out")
            return
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}
