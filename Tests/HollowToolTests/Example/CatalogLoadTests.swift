import Foundation
import Testing

/// A short load test of the example service (`scripts/catalog-load.sh` runs the long one): every
/// lookup answered 200 with no socket error, quiet or refreshing, and the last version announced
/// served at the end. Latency is reported, not asserted (docs/PERFORMANCE.md).
@Suite(.enabled(if: WrkRun.executable != nil, "needs wrk (scripts/test.sh installs it)"))
struct CatalogLoadTests {
    @Test func lookupsAreAnsweredWhileVersionsArrive() async throws {
        let tool = ToolRunner()
        defer { tool.remove() }
        let plan = CatalogLoad.Plan.fromEnvironment()
        let report = try await CatalogLoad(plan: plan, tool: tool).run()
        print(CatalogLoadSummary(plan: plan, report: report))
        for run in report.quiet + report.refreshing {
            #expect(run.requests > 0 && run.socketErrors == 0 && run.non2xx == 0, "\(run)")
        }
        #expect(report.lastServed == report.lastAnnounced, "the service ended on version \(report.lastServed) of \(report.lastAnnounced)")
    }

    @Test func wrksReportIsRead() throws {
        let run = try #require(WrkRun.parse("""
            Running 3s test @ http://127.0.0.1:1234
              1 threads and 16 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   635.00us  200.00us   3.47ms   90.00%
              Latency Distribution
                 50%  635.00us
                 75%    1.02ms
                 90%    2.00ms
                 99%    3.47ms
              75000 requests in 3.00s, 20.00MB read
              Socket errors: connect 0, read 2, write 0, timeout 1
              Non-2xx or 3xx responses: 4
            Requests/sec:  25000.00
            Transfer/sec:      6.67MB
            """))
        #expect(run.p50 == 635 && run.percentiles[75] == 1_020 && run.p99 == 3_470)
        #expect(run.requests == 75_000 && run.requestsPerSecond == 25_000 && run.socketErrors == 3 && run.non2xx == 4)
        #expect(WrkRun.parse("unable to connect to 127.0.0.1:1 Connection refused") == nil)
    }
}
