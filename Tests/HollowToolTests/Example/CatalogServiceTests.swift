import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The example service (Examples/CatalogService) as a team runs it: over a store of the fixtures,
/// lookups by id and queries by year and director as JSON, /metrics and /ready, a new version
/// followed while it runs, and SIGTERM ending it cleanly.
@Suite struct CatalogServiceTests {
    @Test func itAnswersLookupsFollowsVersionsAndStopsCleanly() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        try tool.makeStore()
        #expect(try await tool.produceFixture(1).status == 0)
        #expect(try await tool.produceFixture(2).status == 0)
        let service = try await CatalogServiceProcess.start(tool)
        defer { service.process.process.terminate() }

        let (status, movie) = try await service.get("/movies/1")
        #expect(status == 200)
        #expect(movie["title"] as? String == "Seven Samurai" && movie["director"] as? String == "Akira Kurosawa", "\(movie)")
        #expect(movie["cast"] as? [String] == ["Toshiro Mifune", "Takashi Shimura"] && movie["language"] == nil, "\(movie)")
        let (_, byYear) = try await service.get("/movies?year=1954")
        #expect((byYear["movies"] as? [[String: Any]])?.compactMap { $0["title"] as? String } == ["Seven Samurai", "La Strada"], "\(byYear)")
        let (_, byDirector) = try await service.get("/movies?director=Akira%20Kurosawa")
        #expect((byDirector["movies"] as? [[String: Any]])?.count == 2, "\(byDirector)")
        #expect(try await service.get("/movies/999").status == 404)
        #expect(try await service.get("/movies/x").status == 400)
        #expect(try await service.get("/movies?year=soon").status == 400)
        #expect(try await service.get("/movies").status == 400)
        let metrics = try await service.text("/metrics")
        #expect(metrics.contains(#"hollow_dataset_version{consumer="catalog"} 2"#)
                && metrics.contains(#"hollow_dataset_records{consumer="catalog",type="Movie"} 14"#), "\(metrics)")

        // Version 3 adds a language to every movie: the running service serves it.
        #expect(try await tool.produceFixture(3).status == 0)
        let deadline = ContinuousClock.now + .seconds(180)
        var language: String?
        while language == nil, ContinuousClock.now < deadline {
            language = try await service.get("/movies/1").json["language"] as? String
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(language == "ja")
        #expect(try await service.get("/movies?year=1954").json["version"] as? Int == 3)

        await service.process.stop()
        #expect(service.process.finish().status == 0, "SIGTERM is a graceful shutdown: \(service.process.errors)")
    }
}

/// `CatalogService --store STORE --port 0`, once it listens and serves a version.
struct CatalogServiceProcess {
    let process: ToolRunner.Running
    let base: String

    /// Starts the service and returns once it listens (waiting without holding a pool thread).
    static func start(_ tool: ToolRunner, environment: [String: String] = [:]) async throws -> CatalogServiceProcess {
        let process = try tool.start(["--store", tool.store, "--port", "0"], environment: environment,
                                     program: ToolRunner.product("CatalogService"))
        let started = ContinuousClock.now + .seconds(180)
        var base: String?
        while base == nil, process.process.isRunning, ContinuousClock.now < started {
            base = process.errors.split(separator: "\n").lazy.compactMap { line in
                line.range(of: "listening on http://").map { String(line[$0.lowerBound...].dropFirst("listening on ".count)) }
            }.first
            if base == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let base else { throw DrillFailure("CatalogService did not start listening: \(process.errors)") }
        return CatalogServiceProcess(process: process, base: base)
    }

    func text(_ path: String) async throws -> String {
        String(decoding: try await URLSession.shared.data(from: URL(string: base + path)!).0, as: UTF8.self)
    }

    /// The status and JSON object of a GET, waiting through 503 until a version is served.
    func get(_ path: String) async throws -> (status: Int, json: [String: Any]) {
        let deadline = ContinuousClock.now + .seconds(180)
        while true {
            let (data, response) = try await URLSession.shared.data(from: URL(string: base + path)!)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if status == 503, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                continue
            }
            return (status, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
        }
    }
}
