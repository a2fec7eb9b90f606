import Foundation
import Testing

/// Fleet drills of the built tool (`FleetDrill`): a short one per blob store here;
/// `scripts/fleet.sh` runs the long one (20 consumers, 100 versions, 5 leader kills, 2 member kills).
@Suite(.serialized) struct FleetTests {
    @Test(arguments: [FleetDrill.Blobs.s3, .nginx])
    func aFleetOfConsumersFollowsThroughLeaderAndEtcdMemberKills(_ blobs: FleetDrill.Blobs) async throws {
        let runner = ToolRunner()
        defer { runner.remove() }
        let plan = FleetDrill.Plan.fromEnvironment()
        let report = try await FleetDrill(plan: plan, blobs: blobs, runner: runner).run()
        let violations = FleetChecks.violations(report)
        #expect(violations.isEmpty, "\(violations.prefix(20).joined(separator: "\n"))")
        #expect(report.history.count >= plan.versions)
        #expect(report.served.count == plan.consumers)
        print(FleetSummary(plan: plan, blobs: blobs, report: report, violations: violations))
    }
}
