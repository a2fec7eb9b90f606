import Foundation

/// One run of wrk (Debian's `wrk`) against a URL with a Lua script, and what it reported:
/// requests, errors and the latency distribution (`--latency`).
struct WrkRun: CustomStringConvertible {
    var requests = 0
    var requestsPerSecond = 0.0
    /// Latency percentiles in microseconds: 50, 75, 90 and 99.
    var percentiles: [Int: Double] = [:]
    var socketErrors = 0
    var non2xx = 0

    var p50: Double { percentiles[50] ?? 0 }
    var p99: Double { percentiles[99] ?? 0 }

    var description: String {
        String(format: "%.0f requests/s, p50 %.2f ms, p99 %.2f ms (%d requests, %d socket errors, %d not 2xx)",
               requestsPerSecond, p50 / 1000, p99 / 1000, requests, socketErrors, non2xx)
    }

    static let executable = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs wrk for `duration` with `connections` on one thread; `script` is a Lua file.
    static func run(_ url: String, script: String, duration: Duration, connections: Int, environment: [String: String] = [:]) async throws -> WrkRun {
        guard let executable else { throw DrillFailure("wrk is not installed (scripts/test.sh installs it)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        let seconds = max(1, Int(duration.components.seconds))
        process.arguments = ["-t1", "-c\(connections)", "-d\(seconds)s", "--latency", "--timeout", "10s", "-s", script, url]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = NSTemporaryDirectory() + "hollow-wrk-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: output) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = process.standardOutput
        try process.run()
        let deadline = ContinuousClock.now + duration + .seconds(60)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw DrillFailure("wrk did not end")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0, let run = parse(text) else { throw DrillFailure("wrk failed: \(text)") }
        return run
    }

    /// The figures of wrk's report; nil when it has no request count.
    static func parse(_ text: String) -> WrkRun? {
        var run = WrkRun()
        var sawRequests = false
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = words.first else { continue }
            if words.count == 2, first.hasSuffix("%"), let percent = Int(first.dropLast()), let micros = microseconds(words[1]) {
                run.percentiles[percent] = micros
            } else if words.count >= 3, words[1] == "requests", words[2] == "in", let count = Int(first) {
                run.requests = count
                sawRequests = true
            } else if first == "Requests/sec:", words.count == 2 {
                run.requestsPerSecond = Double(words[1]) ?? 0
            } else if line.contains("Non-2xx or 3xx responses:"), let count = words.last.flatMap({ Int($0) }) {
                run.non2xx = count
            } else if first == "Socket" {
                // "Socket errors: connect 0, read 0, write 0, timeout 0"
                run.socketErrors = words.compactMap { Int($0.trimmingCharacters(in: .punctuationCharacters)) }.reduce(0, +)
            }
        }
        return sawRequests ? run : nil
    }

    /// `635.00us`, `3.47ms`, `1.02s` in microseconds.
    static func microseconds(_ text: Substring) -> Double? {
        for (unit, scale) in [("us", 1.0), ("ms", 1_000.0), ("s", 1_000_000.0)] where text.hasSuffix(unit) {
            return Double(text.dropLast(unit.count)).map { $0 * scale }
        }
        return nil
    }
}
