import Foundation

/// What must hold after a partition drill, and its figures.
enum PartitionChecks {
    static let settle: Int64 = 1000

    static func violations(_ report: PartitionDrill.Report) -> [String] {
        var problems = FleetChecks.violations(history: report.history, served: report.served)
        for (number, answers) in report.answers.enumerated() {
            let sent = report.lookupsSent[number]
            if answers.count != sent { problems.append("consumer \(number) answered \(answers.count) of \(sent) lookups") }
            for answer in answers where !answer.found || answer.version == nil {
                problems.append("consumer \(number) found no record for a lookup sent at \(answer.sentAt) (version \(answer.version.map(String.init) ?? "none"))")
            }
        }
        // A refresh whose bytes were already on their way when the links went down may still
        // end just after; after this long, the consumer serves what it will serve until they return.
        let settledAt = report.cutAt + settle
        for (number, served) in report.served.enumerated() {
            // The cut held: nothing announced after it, and nothing at all once settled, was served while it lasted.
            for refresh in served where refresh.atMilliseconds > report.cutAt && refresh.atMilliseconds < report.restoredAt
                && (refresh.version > report.lastBeforeCut || refresh.atMilliseconds > settledAt) {
                problems.append("consumer \(number) served version \(refresh.version) \(refresh.atMilliseconds - report.cutAt) ms into the cut: the cut did not hold")
            }
            // Its last good state answered: lookups sent during the settled cut (but for its last
            // 100 ms, whose answers may come after the links returned) got the version it served then.
            let atCut = served.last { $0.atMilliseconds <= settledAt }?.version
            if number < report.answers.count {
                for answer in report.answers[number] where answer.sentAt >= settledAt && answer.sentAt < report.restoredAt - 100 && answer.version != atCut {
                    problems.append("consumer \(number) answered a lookup during the cut from version \(answer.version.map(String.init) ?? "none"), not from \(atCut.map(String.init) ?? "none"), the one it served when the cut began")
                }
            }
            guard let catchUp = catchUp(served, report) else {
                problems.append("consumer \(number) never served version \(report.lastBeforeRestore)")
                continue
            }
            for refresh in catchUp.refreshes where refresh.path.contains("snapshot") {
                problems.append("consumer \(number) caught up to version \(refresh.version) by \(refresh.path), not by deltas")
            }
        }
        return problems
    }

    /// The refreshes of a consumer from the links' return until it served the last version
    /// announced before, and how long that took.
    static func catchUp(_ served: [FleetChecks.Served], _ report: PartitionDrill.Report) -> (refreshes: [FleetChecks.Served], milliseconds: Int64)? {
        let after = served.filter { $0.atMilliseconds >= report.restoredAt }
        guard let end = after.firstIndex(where: { $0.version >= report.lastBeforeRestore }) else { return nil }
        return (Array(after[...end]), after[end].atMilliseconds - report.restoredAt)
    }
}

/// The figures of a partition drill, printed by the test (docs/DEPLOYMENT.md quotes them).
struct PartitionSummary: CustomStringConvertible {
    let plan: PartitionDrill.Plan
    let report: PartitionDrill.Report
    let violations: [String]

    var description: String {
        let during = report.answers.map { $0.filter { $0.sentAt >= report.cutAt && $0.sentAt < report.restoredAt } }
        let answeredDuring = during.map { $0.filter(\.found).count }.reduce(0, +)
        let sentDuring = during.map(\.count).reduce(0, +)
        let catchUps = report.served.compactMap { PartitionChecks.catchUp($0, report) }
        let times = catchUps.map(\.milliseconds)
        let paths = catchUps.map { $0.refreshes.map(\.path).joined(separator: ", ") }
        return """
            partition drill: \(plan)
              versions announced: \(report.history.count); during the cut: \(report.lastBeforeRestore - report.lastBeforeCut) (\(report.lastBeforeCut + 1)...\(report.lastBeforeRestore))
              lookups: \(report.answers.map(\.count).reduce(0, +)) answered of \(report.lookupsSent.reduce(0, +)) sent; during the cut \(answeredDuring) found of \(sentDuring) sent
              catch-up after the links returned: \(times.map { "\($0) ms" }.joined(separator: ", ")) (worst \(times.max() ?? 0) ms), by: \(paths.joined(separator: " | "))
              failed refreshes ridden out: \(report.failedRefreshes); violations: \(violations.count)
            """
    }
}
