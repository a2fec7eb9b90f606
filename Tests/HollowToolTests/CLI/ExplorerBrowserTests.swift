import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The explorer in a real browser: headless Chromium loads each page of `hollow serve` over a
/// store made from the fixtures (and one with hostile strings) and the test reads the DOM it ends
/// with (`--dump-dom`: after any script ran). Screenshots go to `HOLLOW_SCREENSHOTS` when set
/// (docs/images/ holds the ones docs/HTTP.md shows).
@Suite(.serialized, .enabled(if: Chromium.executable != nil, "needs Debian's chromium (scripts/test.sh installs it)"))
struct ExplorerBrowserTests {
    @Test func everyPageOfTheFixturesLoadsAndShowsItsData() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        try tool.makeStore()
        #expect(try await tool.produceFixture(1).status == 0)
        #expect(try await tool.produceFixture(2).status == 0)
        try await withServer(tool) { base in
            // Version 3 comes while the explorer runs: it records what changed (every movie got a language).
            #expect(try await tool.produceFixture(3).status == 0)
            let recorded = ContinuousClock.now + .seconds(180)
            while ContinuousClock.now < recorded,
                  !String(decoding: try await URLSession.shared.data(from: URL(string: base + "/explorer/history/3")!).0, as: UTF8.self)
                      .contains("Changes from version") {
                try await Task.sleep(for: .milliseconds(100))
            }
            var dom = try await Chromium.dump(base + "/explorer", screenshot: "explorer-dataset.png")
            #expect(dom.contains("<h1>Version 3</h1>") && dom.contains(">Movie</a>") && dom.contains(">Theater</a>"), "\(dom)")
            dom = try await Chromium.dump(base + "/explorer/types/Movie", screenshot: "explorer-type.png")
            #expect(dom.contains("Records, page 1 of 1") && dom.contains("Parasite"), "\(dom)")
            // What the key form's GET asks for (the form's action and field name, as the type page
            // shows them) lands on the record's page.
            #expect(dom.contains(#"<form method="get" action="/explorer/types/Movie/key">"#) && dom.contains(#"name="id""#), "\(dom)")
            dom = try await Chromium.dump(base + "/explorer/types/Movie/key?id=16", screenshot: "explorer-record.png")
            #expect(dom.contains("<h1>Movie #") && dom.contains("Parasite") && dom.contains("Bong Joon-ho"), "\(dom)")
            dom = try await Chromium.dump(base + "/explorer/types/Movie/key?id=999")
            #expect(dom.contains("no Movie with that key in version 3"), "\(dom)")
            dom = try await Chromium.dump(base + "/explorer/types/Movie/query?field=director.name&value=Akira+Kurosawa", screenshot: "explorer-query.png")
            #expect(dom.contains("2 <a href=\"/explorer/types/Movie\">Movie</a> record(s) whose director.name is Akira Kurosawa")
                    && dom.contains("Seven Samurai") && dom.contains("Ikiru"), "\(dom)")
            dom = try await Chromium.dump(base + "/explorer/history", screenshot: "explorer-history.png")
            #expect(dom.contains(#"<a href="/explorer/history/3">3</a> <strong>served</strong>"#) && dom.contains("not recorded"), "\(dom)")
            dom = try await Chromium.dump(base + "/explorer/history/3", screenshot: "explorer-version.png")
            #expect(dom.contains("Changes from version") && dom.contains("<th>language</th><td><del>null</del></td><td><ins>\"ja\"</ins></td>"), "\(dom)")
            dom = try await Chromium.dump(base + "/explorer/types/Movie/history?id=1", screenshot: "explorer-record-history.png")
            #expect(dom.contains("<td>changed</td>") && dom.contains("<ins>\"ja\"</ins>"), "\(dom)")
        }
    }

    @Test func hostileStringsRunNoScript() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        try tool.makeStore()
        let schema = try tool.write("evil.schema", "type Evil key(id) { id: long text: string }")
        let payloads = [
            #"<script>document.title='pwned'</script>"#,
            #"<img src=x onerror="document.title='pwned'">"#,
            #"</td></tr></table><script>document.title='pwned'</script>"#,
            #"" onmouseover="document.title='pwned'"#,
        ]
        let lines = payloads.enumerated().map { #"{"id": \#($0.offset), "text": \#(jsonString($0.element))}"# }
        let source = try tool.write("evils.jsonl", lines.joined(separator: "\n") + "\n")
        let produced = try await tool.run(["produce", "--schema", schema, "--store", tool.store, "--source", source])
        #expect(produced.status == 0, "\(produced)")
        try await withServer(tool) { base in
            for page in ["/explorer/types/Evil"] + (0..<payloads.count).map({ "/explorer/types/Evil/key?id=\($0)" }) {
                let dom = try await Chromium.dump(base + page, screenshot: page == "/explorer/types/Evil" ? "explorer-hostile.png" : nil)
                #expect(!dom.contains("pwned</title>"), "a script ran on \(page): \(dom)")
                // Escaped, not only blocked by the page's Content-Security-Policy: no element was made.
                #expect(!dom.contains("<script") && !dom.contains("<img"), "an element was made on \(page): \(dom)")
                #expect(dom.contains("document.title='pwned'"), "the text is shown as text on \(page)")
            }
        }
    }

    func jsonString(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: text, options: .fragmentsAllowed), as: UTF8.self)
    }

    func withServer(_ tool: ToolRunner, _ body: (String) async throws -> Void) async throws {
        let server = try tool.start(["serve", "--store", tool.store, "--port", "0"])
        try await waitFor { server.output.contains("serving on http://") || !server.process.isRunning }
        let base = try #require(server.output.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init), "\(server.errors)")
        // Listening comes before the first version is loaded.
        let loaded = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < loaded, (try? await URLSession.shared.data(from: URL(string: base + "/ready")!))
            .flatMap({ ($0.1 as? HTTPURLResponse)?.statusCode }) != 200 {
            try await Task.sleep(for: .milliseconds(100))
        }
        do {
            try await body(base)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

/// Debian's headless Chromium, run once per page.
enum Chromium {
    static let executable = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The DOM of `url` once loaded; a screenshot of it (1280x800) to `HOLLOW_SCREENSHOTS/name`
    /// when that directory is set.
    static func dump(_ url: String, screenshot name: String? = nil) async throws -> String {
        let profile = NSTemporaryDirectory() + "hollow-chromium-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile, "--no-first-run",
                      "--disable-extensions", "--disable-background-networking"]
        let dom = try await run(common + ["--dump-dom", url])
        if let name, let directory = ProcessInfo.processInfo.environment["HOLLOW_SCREENSHOTS"] {
            _ = try await run(common + ["--hide-scrollbars", "--window-size=1280,800", "--screenshot=\(directory)/\(name)", url])
        }
        return dom
    }

    private static func run(_ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable!)
        process.arguments = arguments
        let output = NSTemporaryDirectory() + "hollow-chromium-out-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: output) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw DrillFailure("chromium did not finish \(arguments.last ?? "") within 60 s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }
}
