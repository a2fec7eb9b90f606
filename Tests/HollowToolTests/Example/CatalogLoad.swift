import Foundation

/// The load test of the example service (docs/PERFORMANCE.md): wrk looks movies up by id at random
/// while the service's consumer is quiet, then while a new version is announced every second,
/// alternately. The versions are produced before the measurement (into a staging store, then
/// announced one a second into the live log) so that the producer's own work does not share the
/// two cores with the service while it is measured: what differs between the phases is only the
/// consumer's refreshes.
///
/// `scripts/catalog-load.sh` runs a long one on release builds; `CatalogLoadTests` a short one.
struct CatalogLoad {
    struct Plan: CustomStringConvertible {
        // The suite's short run: brief, since wrk keeps both cores busy while it runs and other
        // suites' timing-based tests share them.
        var movies = 2_000
        var phase: Duration = .seconds(2)
        /// Pairs of phases: quiet, then refreshing.
        var rounds = 1
        var connections = 16

        static func fromEnvironment() -> Plan {
            var plan = Plan()
            let environment = ProcessInfo.processInfo.environment
            if let movies = environment["HOLLOW_LOAD_MOVIES"].flatMap(Int.init) { plan.movies = movies }
            if let seconds = environment["HOLLOW_LOAD_SECONDS"].flatMap(Int.init) { plan.phase = .seconds(seconds) }
            if let rounds = environment["HOLLOW_LOAD_ROUNDS"].flatMap(Int.init) { plan.rounds = rounds }
            if let connections = environment["HOLLOW_LOAD_CONNECTIONS"].flatMap(Int.init) { plan.connections = connections }
            return plan
        }

        /// Versions announced during the refreshing phases, one a second.
        var refreshingVersions: Int { rounds * Int(phase.components.seconds) }

        var description: String {
            "\(movies) movies (1% changed a version), \(rounds) x (\(phase.components.seconds) s quiet, \(phase.components.seconds) s with a version a second), wrk 1 thread \(connections) connections"
        }
    }

    struct Report {
        var quiet: [WrkRun] = []
        var refreshing: [WrkRun] = []
        var versionsAnnounced = 0
        var lastAnnounced: UInt64 = 0
        var lastServed: UInt64 = 0
        var deltaBytes: [Int] = []
    }

    let plan: Plan
    let tool: ToolRunner

    func run() async throws -> Report {
        var report = Report()
        let staging = tool.directory + "/staging"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        let schema = "\(ToolRunner.fixtures)/catalog/v3/catalog.schema"
        let source = tool.directory + "/movies.jsonl"
        let versions = 1 + plan.refreshingVersions
        for version in 1...versions {
            try Self.catalog(movies: plan.movies, version: version).write(toFile: source, atomically: true, encoding: .utf8)
            // Every blob kept: the live store starts at version 1 and replays the rest.
            let produced = try await tool.run(["produce", "--schema", schema, "--store", staging, "--source", source,
                                               "--keep-snapshots", "\(versions)"], timeout: .seconds(600))
            guard produced.status == 0 else { throw DrillFailure("producing version \(version): \(produced)") }
        }
        let lines = try String(contentsOfFile: staging + "/announcements.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
        guard lines.count == versions else { throw DrillFailure("the staging log has \(lines.count) lines, not \(versions)") }
        report.deltaBytes = lines.dropFirst().compactMap { line in
            ((try? jsonObject(line))?["announcement"] as? [String: Any]).flatMap { ($0["delta"] as? [String: Any])?["size"] as? Int }
        }

        // The live store: every blob, and only the first announcement.
        try FileManager.default.createDirectory(atPath: tool.store, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: staging + "/blobs", toPath: tool.store + "/blobs")
        let log = tool.store + "/announcements.jsonl"
        try (lines[0] + "\n").write(toFile: log, atomically: true, encoding: .utf8)

        let service = try await CatalogServiceProcess.start(tool)
        defer { service.process.process.terminate() }
        let first = try await service.get("/movies/1")
        guard first.status == 200 else {
            throw DrillFailure("the service answers /movies/1 with \(first.status) \(first.json): \(service.process.errors.suffix(2000))")
        }
        let script = tool.directory + "/lookups.lua"
        try Self.lookups.write(toFile: script, atomically: true, encoding: .utf8)
        let environment = ["CATALOG_MOVIES": "\(plan.movies)"]
        _ = try await WrkRun.run(service.base, script: script, duration: .seconds(1), connections: plan.connections, environment: environment)

        var next = 1
        for _ in 0..<plan.rounds {
            report.quiet.append(try await WrkRun.run(service.base, script: script, duration: plan.phase, connections: plan.connections,
                                                     environment: environment))
            let seconds = Int(plan.phase.components.seconds)
            let batch = Array(lines[next..<(next + seconds)])
            let announcing = Task {
                for line in batch {
                    try Self.append(line, to: log)
                    try await Task.sleep(for: .seconds(1))
                }
            }
            report.refreshing.append(try await WrkRun.run(service.base, script: script, duration: plan.phase, connections: plan.connections,
                                                          environment: environment))
            try await announcing.value
            next += seconds
            report.versionsAnnounced += seconds
        }
        report.lastAnnounced = UInt64(next)
        // The last version announced is served at the end (a consumer behind may skip some).
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            report.lastServed = UInt64(try await service.get("/movies?year=2000").json["version"] as? Int ?? 0)
            if report.lastServed == report.lastAnnounced { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        await service.process.stop()
        return report
    }

    static func append(_ line: String, to path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else { throw DrillFailure("cannot open \(path)") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((line + "\n").utf8))  // one write of one whole line
    }

    /// Random ids between 1 and CATALOG_MOVIES, the same sequence every run.
    static let lookups = """
        local movies = tonumber(os.getenv("CATALOG_MOVIES"))
        math.randomseed(7)
        request = function()
            return wrk.format("GET", "/movies/" .. math.random(1, movies))
        end
        """

    /// The catalog of `version` as JSON Lines in the fixtures' schema (version 3): directors and
    /// actors shared between movies, and 1% of the movies (those whose id is the version, modulo
    /// 100) with a new runtime in each version.
    static func catalog(movies: Int, version: Int) -> String {
        let countries = ["JP", "FR", "IT", "IN", "US", "SE", "HK", "KR"], genres = ["action", "drama", "comedy", "crime", "romance", "fantasy"]
        var text = ""
        text.reserveCapacity(movies * 330)
        for id in 1...movies {
            func person(_ kind: String, _ number: Int) -> String {
                #"{"name": "\#(kind) \#(number)", "born": \#(1900 + number % 100), "country": "\#(countries[number % countries.count])"}"#
            }
            let runtime = 80 + (id * 7 + (id % 100 == version % 100 ? version : 0)) % 120
            text += #"{"id": \#(id), "title": "Movie \#(id)", "year": \#(1950 + id % 70), "runtime": \#(runtime), "#
            text += #""director": \#(person("Director", id % 500)), "cast": [\#(person("Actor", id % 3000)), \#(person("Actor", (id * 7) % 3000))], "#
            text += #""genres": ["\#(genres[id % genres.count])", "\#(genres[(id / 7) % genres.count])"], "#
            text += #""ratings": {"imdb": \#(Double(50 + id % 50) / 10)}, "language": "\#(countries[id % countries.count].lowercased())"}"#
            text += "\n"
        }
        return text
    }
}

/// The figures of a load test, printed by the test (docs/PERFORMANCE.md quotes them).
struct CatalogLoadSummary: CustomStringConvertible {
    let plan: CatalogLoad.Plan
    let report: CatalogLoad.Report

    var ratio: Double {
        let quiet = report.quiet.map(\.p99).reduce(0, +), refreshing = report.refreshing.map(\.p99).reduce(0, +)
        return quiet > 0 ? refreshing / quiet : 0
    }

    var description: String {
        let deltas = report.deltaBytes.sorted()
        var lines = ["catalog load test: \(plan)"]
        for (round, (quiet, refreshing)) in zip(report.quiet, report.refreshing).enumerated() {
            lines.append("  round \(round + 1) quiet:      \(quiet)")
            lines.append("  round \(round + 1) refreshing: \(refreshing)")
        }
        lines.append(String(format: "  p99 refreshing / p99 quiet: %.2f (sums over the rounds)", ratio))
        lines.append("  versions announced while measured: \(report.versionsAnnounced), last \(report.lastAnnounced), served at the end: \(report.lastServed)"
            + (deltas.isEmpty ? "" : ", deltas \(deltas[deltas.count / 2]) bytes (median)"))
        return lines.joined(separator: "\n")
    }
}
