import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `hollow serve`: a consumer following the store's log behind /metrics, /health and /ready,
/// stopped by SIGTERM; wrong ports are refused.
@Suite struct ServeCommandTests {
    func get(_ url: String) async throws -> (status: Int, body: String) { try await httpGet(url) }

    @Test func servesTheVersionsOfTheLogUntilSIGTERM() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        try tool.makeStore()
        #expect(try await tool.produceFixture(1).status == 0)
        let server = try tool.start(["serve", "--store", tool.store, "--port", "0"])
        try await waitFor { server.output.contains("serving on http://127.0.0.1:") || !server.process.isRunning }
        let base = try #require(server.output.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init), "\(server.errors)")

        // Listening comes before the first version is loaded: ready within a minute.
        let loaded = ContinuousClock.now + .seconds(60)
        while (try await get(base + "/ready")).status != 200, ContinuousClock.now < loaded { try await Task.sleep(for: .milliseconds(50)) }
        var ready = try await get(base + "/ready")
        #expect(ready.status == 200 && ready.body.contains(#""version":1"#), "\(ready)")
        #expect(try await get(base + "/health").status == 200)
        #expect(try await tool.produceFixture(2).status == 0)
        let deadline = ContinuousClock.now + .seconds(60)
        while !(try await get(base + "/ready")).body.contains(#""version":2"#), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        ready = try await get(base + "/ready")
        #expect(ready.body.contains(#""version":2"#), "\(ready)")
        let metrics = try await get(base + "/metrics")
        #expect(metrics.body.contains(#"hollow_dataset_records{consumer="hollow-serve",type="Movie"} 14"#), "\(metrics.body)")
        #expect(metrics.body.contains(#"hollow_consumer_version{consumer="hollow-serve"} 2"#), "swift-metrics too: \(metrics.body)")

        kill(server.process.processIdentifier, SIGTERM)
        try await waitFor { !server.process.isRunning }
        #expect(server.finish().status == 0)
    }

    @Test func aPortThatCannotBeHadIsAClearError() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        try tool.makeStore()
        #expect(try await tool.produceFixture(1).status == 0)
        let outOfRange = try await tool.run(["serve", "--store", tool.store, "--port", "70000"])
        #expect(outOfRange.status == 64 && outOfRange.errors.contains("--port 70000 is not a port"), "\(outOfRange)")

        let first = try tool.start(["serve", "--store", tool.store, "--port", "0"])
        defer { kill(first.process.processIdentifier, SIGKILL) }
        try await waitFor { first.output.contains("serving on") || !first.process.isRunning }
        let port = try #require(first.output.split(separator: ":").last?.split(separator: " ").first.map(String.init))
        let taken = try await tool.run(["serve", "--store", tool.store, "--port", port], timeout: .seconds(60))
        #expect(taken.status == 69 && taken.errors.contains("cannot serve on 127.0.0.1:\(port)") && taken.errors.contains("--port"), "\(taken)")
    }
}

/// A GET with URLSession: the status and the body as text.
func httpGet(_ url: String) async throws -> (status: Int, body: String) {
    let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}

/// Starts `hollow serve` with `options` on a free port, waits until it serves `version` (a minute
/// at most), and returns the running process and its base URL.
func startServing(_ tool: ToolRunner, _ options: [String], version: Int,
                  environment: [String: String] = [:]) async throws -> (server: ToolRunner.Running, base: String) {
    let server = try tool.start(["serve", "--port", "0"] + options, environment: environment)
    try await waitFor { server.output.contains("serving on http://127.0.0.1:") || !server.process.isRunning }
    let base = try #require(server.output.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init), "\(server.errors)")
    try await waitUntilServing(base, version: version)
    return (server, base)
}

/// Waits up to a minute until `/ready` of `base` names `version`.
func waitUntilServing(_ base: String, version: Int) async throws {
    let deadline = ContinuousClock.now + .seconds(60)
    while !((try? await httpGet(base + "/ready"))?.body.contains("\"version\":\(version)") ?? false), ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(50))
    }
}
