import Foundation

/// What must hold after a fleet drill, and its figures, from what the consumer processes printed
/// and the log's history.
enum FleetChecks {
    /// An announcement, as `hollow history --json` prints it.
    struct Announced: Sendable {
        var version: UInt64
        var term: UInt64
        var producer: String
        var timestampMilliseconds: Int64
    }

    /// A version a consumer served, as `hollow watch --json` prints it.
    struct Served: Sendable {
        var version: UInt64
        var atMilliseconds: Int64
        /// The refresh's path: `snapshot`, `1 delta`, `snapshot + 2 deltas`...
        var path: String
    }

    static func announced(byHistoryJSON text: String) throws -> [Announced] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let entries = try (object?["announcements"] as? [[String: Any]]).orThrow("no announcements in \(text.prefix(200))")
        return try entries.map { entry in
            Announced(version: try (entry["version"] as? NSNumber).orThrow("no version").uint64Value,
                      term: try (entry["term"] as? NSNumber).orThrow("no term").uint64Value,
                      producer: try (entry["producer"] as? String).orThrow("no producer"),
                      timestampMilliseconds: try (entry["timestampMilliseconds"] as? NSNumber).orThrow("no timestamp").int64Value)
        }
    }

    /// The versions in the `--json` lines of a `hollow watch`, in order; lines that are not a
    /// refresh (a line cut off by the kill) are skipped.
    static func served(byOutput text: String) -> [Served] {
        text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let version = (object["version"] as? NSNumber)?.uint64Value,
                  let at = (object["servedAtMilliseconds"] as? NSNumber)?.int64Value else { return nil }
            return Served(version: version, atMilliseconds: at, path: object["path"] as? String ?? "")
        }
    }

    /// Every violation (empty when all hold): a consumer served a version that was not announced,
    /// went backwards or served one version twice, or did not end on the last version.
    static func violations(_ report: FleetDrill.Report) -> [String] {
        report.stragglers + report.serviceProblems + violations(history: report.history, served: report.served)
            + (report.readAfterWrite.isEmpty ? ["the service read none of its writes back"] : [])
    }

    /// A consumer served a version that was not announced, or went backwards.
    static func violations(history: [Announced], served consumers: [[Served]]) -> [String] {
        var problems: [String] = []
        let announced = Set(history.map(\.version))
        for (number, served) in consumers.enumerated() {
            for version in served where !announced.contains(version.version) {
                problems.append("consumer \(number) served version \(version.version), which was never announced")
            }
            for (previous, next) in zip(served, served.dropFirst()) where next.version <= previous.version {
                problems.append("consumer \(number) went from version \(previous.version) to \(next.version)")
            }
        }
        return problems
    }

    /// Milliseconds from each version's announcement to the moment the last consumer served it
    /// (or a later version), over the versions announced after every consumer had loaded one.
    static func announcementToAllServing(_ report: FleetDrill.Report) -> [Int64] {
        guard !report.served.isEmpty else { return [] }
        let firstLoadedByAll = report.served.map { $0.first?.atMilliseconds ?? .max }.max()!
        return report.history.filter { $0.timestampMilliseconds > firstLoadedByAll }.compactMap { announcement in
            var slowest: Int64 = 0
            for served in report.served {
                guard let reached = served.first(where: { $0.version >= announcement.version }) else { return nil }
                slowest = max(slowest, reached.atMilliseconds - announcement.timestampMilliseconds)
            }
            return slowest
        }
    }

    /// The nearest-rank percentile: the smallest value with at least `p` of the values at or
    /// below it (with fewer than 100 values, p99 is the largest).
    static func percentile(_ values: [Int64], _ p: Double) -> Int64 {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[max(0, min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
    }
}

/// The figures of a fleet drill, printed by the test (docs/DEPLOYMENT.md quotes them).
struct FleetSummary: CustomStringConvertible {
    let plan: FleetDrill.Plan
    let blobs: FleetDrill.Blobs
    let report: FleetDrill.Report
    let violations: [String]

    var description: String {
        let latencies = FleetChecks.announcementToAllServing(report)
        let refreshes = report.served.flatMap { $0.dropFirst() }
        let byDeltas = refreshes.filter { !$0.path.contains("snapshot") }.count
        let terms = Set(report.history.map(\.term)).count
        let readAfterWrite = report.readAfterWrite.map(\.milliseconds)
        return """
            fleet drill, blobs on \(blobs.rawValue): \(plan)
              versions announced: \(report.history.count) in \(terms) terms; takeovers after a leader kill: \(report.takeovers.map { "\($0) ms" }.joined(separator: ", "))
              announcement to all \(report.served.count) consumers serving it: p50 \(FleetChecks.percentile(latencies, 0.5)) ms, p99 \(FleetChecks.percentile(latencies, 0.99)) ms, worst \(latencies.max() ?? 0) ms (\(latencies.count) versions)
              refreshes after the first load: \(refreshes.count), by deltas \(byDeltas); failed refreshes ridden out: \(report.failedRefreshes)
              read-after-write (a write to the source until the service's consumer serves it): \(readAfterWrite.count) writes, p50 \(FleetChecks.percentile(readAfterWrite, 0.5)) ms, p99 \(FleetChecks.percentile(readAfterWrite, 0.99)) ms, worst \(readAfterWrite.max() ?? 0) ms
              violations: \(violations.count)
            """
    }
}
