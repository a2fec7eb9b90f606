import HollowCore
import Testing
import Hollow
import HollowTesting

/// The example of docs/TESTING.md: a service's team checks that their service keeps answering, from
/// one unbroken chain of versions, while the producers of its data fail over.
@Suite struct FailoverExampleTests {
    /// How long to wait for a version: alone this test takes under a second, but the suite runs all
    /// its tests at once on two cores, and the consumer's watch then waits its turn behind them
    /// (151 and 172 s in two CI runs, one run over 180). A broken consumer still fails, later.
    static let patience = Duration.seconds(600)

    let schema = try! Schema(parsing: "type Price key(sku) { sku: long cents: long }")

    func addPrices(_ state: WriteState, cents: Int64) throws {
        for sku in Int64(1)...100 {
            var price = ObjectRecord(schema.object("Price")!)
            try price.set("sku", .long(sku))
            try price.set("cents", .long(cents))
            try state.add(price)
        }
    }

    /// What the service answers: the price of `sku` in the version it serves.
    func price(_ consumer: Consumer, sku: Int64) -> Int64? {
        guard let state = consumer.current, let ordinal = state.primaryKeyIndex("Price")?.ordinal(sku),
              let prices = state.readState.objectType("Price"), let cents = prices.field("cents") else { return nil }
        return prices.long(ordinal, cents)
    }

    @Test func theServiceFollowsTheNewLeaderAndNeverSeesTheDeposedOne() async throws {
        let deployment = InMemoryDeployment()
        let primary = deployment.makeProducer("primary", schema: schema, logger: quiet)
        let standby = deployment.makeProducer("standby", schema: schema, logger: quiet)
        let consumer = deployment.makeConsumer(configuration: .init(indexes: [.primaryKey("Price")]), logger: quiet)
        let watching = Task { await consumer.watch() }
        defer { watching.cancel() }

        try await primary.waitForLeadership()
        try await primary.runCycle { try addPrices($0, cents: 100) }
        try await consumer.waitUntilServing(version: 1, within: Self.patience)
        #expect(price(consumer, sku: 7) == 100)

        // The primary freezes in the middle of a cycle (a long pause, SIGSTOP). Its lease runs out,
        // and the standby takes over and announces. Then the primary goes on with its cycle.
        let deposed = await #expect(throws: ProducerError.self) {
            try await primary.runCycle { state in
                deployment.election.pause("primary")
                deployment.election.expire()
                try await standby.waitForLeadership()
                try await standby.runCycle { try addPrices($0, cents: 120) }
                try addPrices(state, cents: 999)
            }
        }
        // The log refused the primary's announcement: its term is not the leader's.
        guard case .leadershipLost(term: 1, currentTerm: 2)? = deposed else {
            Issue.record("expected the primary to be deposed, got \(String(describing: deposed))")
            return
        }
        try await consumer.waitUntilServing(version: 2, within: Self.patience)
        #expect(price(consumer, sku: 7) == 120)
        // The standby's version continues the primary's by a delta: one unbroken chain.
        let latest = try #require(deployment.announcementLog.currentHistory.latest)
        #expect(latest.previousVersion == 1 && latest.delta != nil && latest.producerID == "standby")

        // The primary wakes up, sees it lost the lease, and waits as the standby now.
        deployment.election.resume("primary")
        let primaryWaits = Task { try await primary.waitForLeadership() }
        await standby.resign()
        _ = try await primaryWaits.value
        try await primary.runCycle { try addPrices($0, cents: 130) }
        try await consumer.waitUntilServing(version: 3, within: Self.patience)
        #expect(price(consumer, sku: 7) == 130)
        #expect(deployment.election.terms.map(\.leader) == ["primary", "standby", "primary"])
    }
}
