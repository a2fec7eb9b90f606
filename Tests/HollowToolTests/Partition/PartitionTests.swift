import Foundation
import Testing

/// The partition drill (`PartitionDrill`): a short one here; `scripts/partition.sh` cuts the
/// links for 30 s. Test hosts are network namespaces: root only (as CI runs).
@Suite(.serialized, .enabled(if: TestNetwork.isAvailable, "needs root and iproute2's ip for network namespaces"))
struct PartitionTests {
    @Test func consumersCutOffKeepAnsweringAndCatchUpByDeltas() async throws {
        let runner = ToolRunner()
        defer { runner.remove() }
        let plan = PartitionDrill.Plan.fromEnvironment()
        let report = try await PartitionDrill(plan: plan, runner: runner).run()
        let violations = PartitionChecks.violations(report)
        #expect(violations.isEmpty, "\(violations.prefix(20).joined(separator: "\n"))")
        #expect(report.lookupsSent.allSatisfy { $0 > 0 })
        print(PartitionSummary(plan: plan, report: report, violations: violations))
    }
}
