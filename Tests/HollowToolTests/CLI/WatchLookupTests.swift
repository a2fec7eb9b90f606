import Foundation
import Testing

/// `hollow watch --lookup TYPE`: lookups by primary key read from standard input, each answered
/// with one JSON line from the version being served, and a reason when a line gets no answer.
@Suite struct WatchLookupTests {
    @Test func lookupsAreAnsweredFromTheServedVersion() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        try tool.makeStore()
        #expect(try await tool.produceFixture(1).status == 0)
        let input = Pipe()
        let watcher = try tool.start(["watch", "--store", tool.store, "--json", "--lookup", "Movie"], input: input)
        try await waitFor { watcher.output.contains("\"version\":1") }
        for line in ["1", "  ", "999", "x", "1 2", "\t3\t"] { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }
        try await waitFor { watcher.output.split(separator: "\n").count >= 6 }
        watcher.process.terminate()
        let answers = try watcher.finish().lines.map(jsonObject).filter { $0["lookup"] != nil }
        #expect(answers.count == 5, "a blank line is skipped: \(answers)")
        guard answers.count == 5 else { return }
        #expect((answers[0]["record"] as? [String: Any])?["title"] as? String == "Seven Samurai")
        #expect(answers[0]["version"] as? Int == 1 && answers[0]["lookup"] as? [String] == ["1"])
        #expect(answers[1]["record"] is NSNull && answers[1]["error"] == nil, "not found is a null record: \(answers[1])")
        #expect((answers[2]["error"] as? String)?.contains("'x' is not a value of id") == true, "\(answers[2])")
        #expect((answers[3]["error"] as? String)?.contains("give 1 value(s), got 2") == true, "\(answers[3])")
        #expect((answers[4]["record"] as? [String: Any])?["title"] as? String == "Breathless")
    }

    @Test func aTypeWithoutAPrimaryKeyIsSaidOnEachLine() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        try tool.makeStore()
        #expect(try await tool.produceFixture(1).status == 0)
        let input = Pipe()
        let watcher = try tool.start(["watch", "--store", tool.store, "--json", "--lookup", "Genre"], input: input)
        try await waitFor { watcher.output.contains("\"version\":1") }
        input.fileHandleForWriting.write(Data("drama\n".utf8))
        try await waitFor { watcher.output.contains("lookup") }
        watcher.process.terminate()
        let finished = watcher.finish()
        let answer = try #require(try finished.lines.map(jsonObject).first { $0["lookup"] != nil })
        #expect((answer["error"] as? String)?.contains("no object type 'Genre' with a primary key") == true, "\(answer)")
        #expect(finished.errors.components(separatedBy: "lookups are refused").count == 2, "said once: \(finished.errors)")
    }

    @Test func aKeyHoldingSpacesIsGivenAsAJSONArray() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        try tool.makeStore()
        #expect(try await tool.produceFixture(1).status == 0)
        let input = Pipe()
        let watcher = try tool.start(["watch", "--store", tool.store, "--json", "--lookup", "Person"], input: input)
        try await waitFor { watcher.output.contains("\"version\":1") }
        for line in [#"["Akira Kurosawa"]"#, "[1, {}]"] { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }
        try await waitFor { watcher.output.split(separator: "\n").count >= 3 }
        watcher.process.terminate()
        let answers = try watcher.finish().lines.map(jsonObject).filter { $0["lookup"] != nil }
        #expect((answers.first?["record"] as? [String: Any])?["born"] as? Int == 1910, "\(answers)")
        #expect((answers.last?["error"] as? String)?.contains("not a JSON array of strings and numbers") == true, "\(answers)")
    }
}
